# Test targets (included by the Makefile).
.PHONY: run test
run: deps sfdemu
test: deps sfdemu
