# Shell features that make processes: pipelines, command substitution, subshells, here
# documents, background jobs and wait, exit statuses, functions, redirections. Run by
# /bin/dash, /bin/bash and busybox sh (tests/realprogs/cases); every line is deterministic.
set -u
echo "start: $# args: $*"
upper=$(echo "hello world" | tr a-z A-Z)
echo "command substitution: $upper"
nested=$(echo "outer $(echo inner | sed 's/in/IN/')")
echo "nested: $nested"
count=$(seq 1 200 | grep 7 | wc -l)
echo "pipeline count: $count"
( echo "in a subshell"; exit 3 )
echo "subshell status: $?"
( cd /; echo "subshell cwd: $(pwd)" )
echo "parent cwd unchanged: $([ "$(pwd)" != / ] && echo yes)"
cat <<EOT | sort -r | head -n 3
delta
alpha
echo
charlie
bravo
EOT
cat <<'EOT'
quoted here document: $HOME `not run`
EOT
sleep 0.2 &
slow=$!
( echo background output > bg.out ) &
printf '%s\n' c a b | sort > sorted.out &
wait
echo "after wait: $(cat bg.out) / $(tr '\n' ' ' < sorted.out)"
false &
bad=$!
wait $bad
echo "wait for a failing job: $?"
sh -c 'exit 42'
echo "child exit status: $?"
sh -c 'kill -TERM $$'
echo "child killed by TERM: $?"
f() { echo "function with $1"; return 5; }
f arg
echo "function status: $?"
i=0
while [ $i -lt 5 ]; do i=$((i + 1)); printf '%s' "$i"; done | tr 0-9 a-j
echo
for w in one two three; do echo "$w"; done | awk '{ n += length($0) } END { print "awk total", n }'
{ echo to-stderr >&2; echo to-stdout; } 2>/dev/null
ls /nonexistent-dir 2>&1 >/dev/null | wc -l
echo "pipeline status: $(false | true; echo $?)"
x=$(cat /etc/hostname >/dev/null; echo ok)
echo "last: $x"
exit 7
