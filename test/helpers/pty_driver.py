"""Drive a command through a pseudo-terminal, the way a person at a keyboard would.

Usage: python3 pty_driver.py '<json>' where the JSON object has
  "argv":   the command to run,
  "cwd":    its working directory,
  "steps":  [{"expect": "<regex>", "send": "<keys>"}, ...] answered in order; a step may also
            name "after_file": a path that must exist before its keys are sent (a test's
            way of saying "once the child has reached this point"),
  "timeout": seconds to wait for each expected text.
Prints one JSON object: {"exit": <code or -signal>, "transcript": "<all output>", "failed_step": <index or null>}.
The test suite uses it to check that questions appear in order and that Ctrl-C exits 130.
"""

import json
import os
import pty
import re
import select
import sys
import time


def main() -> None:
    spec = json.loads(sys.argv[1])
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(spec["cwd"])
        env = dict(os.environ, TERM="xterm-256color", NO_COLOR="1")
        os.execvpe(spec["argv"][0], spec["argv"], env)
    transcript = b""
    failed_step = None

    def read_for(seconds: float) -> bool:
        nonlocal transcript
        ready, _, _ = select.select([fd], [], [], seconds)
        if not ready:
            return True
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return False
        if not chunk:
            return False
        transcript += chunk
        return True

    timeout = float(spec.get("timeout", 20))
    for index, step in enumerate(spec["steps"]):
        pattern = re.compile(step["expect"].encode())
        start = len(transcript)
        deadline = time.monotonic() + timeout
        while not pattern.search(transcript, start) and time.monotonic() < deadline:
            if not read_for(0.1):
                break
        if not pattern.search(transcript, start):
            failed_step = index
            break
        if "after_file" in step:
            while not os.path.exists(step["after_file"]) and time.monotonic() < deadline:
                read_for(0.05)
            if not os.path.exists(step["after_file"]):
                failed_step = index
                break
        time.sleep(0.15)
        os.write(fd, step["send"].encode())
    # Read until the child closes the terminal (EOF), or give up at the deadline.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and read_for(0.2):
        pass
    done, status = os.waitpid(pid, os.WNOHANG)
    if done == 0:
        os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    print(json.dumps({"exit": code, "transcript": transcript.decode(errors="replace"), "failed_step": failed_step}))


if __name__ == "__main__":
    main()
