# Python threads and subprocesses: threads computing in parallel and joining, a lock and a
# queue between them, thread-local data, subprocess.run of a program, a shell pipeline,
# Popen with pipes both ways, a child's failure, a missing program, and a thread pool.
import concurrent.futures, os, queue, subprocess, sys, threading

results = {}
lock = threading.Lock()
local = threading.local()

def work(n):
    local.n = n
    s = sum(i * i for i in range(n * 2000))
    with lock:
        results[n] = (s, local.n)

threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("threads:", sorted(results.items()))

q = queue.Queue()
def producer():
    for i in range(50):
        q.put(i)
    q.put(None)
total = 0
t = threading.Thread(target=producer)
t.start()
while (item := q.get()) is not None:
    total += item
t.join()
print("queue total:", total)

r = subprocess.run(["/bin/echo", "child", "says", "hi"], capture_output=True, text=True)
print("run:", r.returncode, r.stdout.strip())
r = subprocess.run("seq 1 100 | grep 3 | wc -l", shell=True, capture_output=True, text=True)
print("shell pipeline:", r.stdout.strip())
p = subprocess.Popen(["tr", "a-z", "A-Z"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     text=True)
print("popen:", p.communicate("through a pipe")[0], p.returncode)
r = subprocess.run(["sh", "-c", "echo err >&2; exit 9"], capture_output=True, text=True)
print("failure:", r.returncode, r.stderr.strip())
try:
    subprocess.run(["/nonexistent/program"])
except OSError as e:
    print("missing program:", type(e).__name__, e.errno)
r = subprocess.run([sys.executable, "-c", "import sys; print(len(sys.argv), sys.argv[1:])",
                    "a", "b c"], capture_output=True, text=True)
print("python child:", r.stdout.strip())
with concurrent.futures.ThreadPoolExecutor(max_workers=4) as ex:
    outs = list(ex.map(lambda n: subprocess.run(["expr", str(n), "*", "3"],
                                                capture_output=True, text=True).stdout.strip(),
                       range(6)))
print("pool of subprocesses:", outs)
print("pid differs from parent:", os.getpid() != os.getppid())
