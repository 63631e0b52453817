"""Profiling aid (not a test): samples the kernel state of every Chromium renderer's main
thread every 2 ms until killed, one line per sample: "epoch_ms pid state wchan steal run_ns wait_ns":
steal is the machine's steal ticks from /proc/stat; run_ns and wait_ns the thread's time on a
core and waiting for one (/proc/PID/schedstat), so R samples tell work from waiting. A task the page reports as long while its
thread was asleep (S, D: waiting on a lock, say) is not the page's own work; one where it was
runnable (R) is. Run at a real-time priority (bench-page.mjs uses chrt when it can), a gap in
the samples is the whole machine not running. Used by scripts/bench-page.mjs (SCHED=1)."""
import glob
import sys
import time


def steal():
    with open('/proc/stat') as f:
        return f.readline().split()[8]


def renderers():
    pids = []
    for d in glob.glob('/proc/[0-9]*'):
        try:
            with open(d + '/cmdline', 'rb') as f:
                if b'--type=renderer' in f.read():
                    pids.append(d[6:])
        except OSError:
            pass
    return pids


with open(sys.argv[1], 'w', buffering=1) as out:
    pids, scanned = [], 0.0
    while True:
        now = time.time()
        stolen = steal()
        if now - scanned > 0.5:
            pids, scanned = renderers(), now
        for pid in pids:
            try:
                with open(f'/proc/{pid}/stat') as f:
                    state = f.read().rsplit(')', 1)[1].split()[0]
                with open(f'/proc/{pid}/wchan') as f:
                    wchan = f.read().strip() or '-'
                with open(f'/proc/{pid}/schedstat') as f:
                    run, wait = f.read().split()[:2]
            except (OSError, IndexError):
                continue
            out.write(f'{now * 1000:.1f} {pid} {state} {wchan} {stolen} {run} {wait}\n')
        time.sleep(0.002)
