"""Profiling aid (not a test): samples the kernel state of every Chromium renderer's main
thread every 2 ms until killed, one line per sample: "epoch_ms pid state wchan". A task the
page reports as long while its thread was asleep (S, D: waiting on a lock, say) is not the
page's own work; one where it was runnable (R) is. Used by scripts/bench-page.mjs (SCHED=1)."""
import glob
import sys
import time


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
        if now - scanned > 0.5:
            pids, scanned = renderers(), now
        for pid in pids:
            try:
                with open(f'/proc/{pid}/stat') as f:
                    state = f.read().rsplit(')', 1)[1].split()[0]
                with open(f'/proc/{pid}/wchan') as f:
                    wchan = f.read().strip() or '-'
            except (OSError, IndexError):
                continue
            out.write(f'{now * 1000:.1f} {pid} {state} {wchan}\n')
        time.sleep(0.002)
