#!/usr/bin/env python3
"""The osprey command on a real pseudo-terminal, with the Graal JIT, as a user runs it.

What the Maven tests cannot reach: they run the REPL on a JLine test terminal in the test JVM, with
Truffle's fallback runtime, and signals never reach them. Each case here starts scripts/osprey on a
pseudo-terminal, types as a user does (Ctrl-C is the byte 0x03, which the terminal turns into SIGINT
while an entry runs), and waits for what must appear; nothing is timed except the limits of those waits.

Usage: tests/launcher/terminal_test.py [CASE ...]   (scripts/test runs it after the Maven build)
Environment: OSPREY (the command, default scripts/osprey beside this file's project).
"""
import base64
import fcntl
import os
import pty
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OSPREY = os.environ.get("OSPREY", os.path.join(ROOT, "scripts", "osprey"))
ESCAPES = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[=>]|\r")


class Session:
    """scripts/osprey (the REPL) on a pseudo-terminal of 120x40."""

    def __init__(self, term, args=(), java_opts="-Xmx512m"):
        env = dict(os.environ, TERM=term, OSPREY_HISTORY="", OSPREY_JAVA_OPTS=java_opts)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(ROOT)
            # As a shell on a terminal starts its commands: these tests run from a script, and one started with &
            # by a shell without job control has SIGINT ignored, which the exec kept; the JVM then takes no
            # SIGINT, and Ctrl-C stopped nothing (a comprehension over a huge range ran until the heap ran out).
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.execve(OSPREY, [OSPREY, *args], env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.out = b""
        self.seen = 0

    def expect(self, text, timeout):
        """Waits until text appears in the output after what earlier waits consumed; False at the limit."""
        want = text.encode()

        def found():
            at = ESCAPES.sub(b"", self.out).find(want, self.seen)
            if at >= 0:
                self.seen = at + len(want)
            return at >= 0

        return self._wait(found, timeout)

    def expect_raw(self, data, start, timeout):
        """Waits until the bytes data (escape sequences included) appear in the output after offset start."""
        return self._wait(lambda: self.out.find(data, start) >= 0, timeout)

    def _wait(self, found, timeout):
        """Reads output until found() holds; False when the time limit or the end of the output comes first."""
        end = time.monotonic() + timeout
        while not found():
            left = end - time.monotonic()
            if left <= 0:
                return False
            data = self._read(left)
            if data == b"":
                return found()
            if data:
                self.out += data
        return True

    def _read(self, timeout):
        """The next output: its bytes, b"" at the end of the output, None when nothing came within timeout."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return None
        try:
            return os.read(self.fd, 65536)
        except OSError:
            return b""

    def drain_until(self, text, max_bytes, timeout):
        """Reads until text appears, keeping only a window of the output; the bytes read, or None when
        max_bytes or the time limit came first."""
        want = text.encode()
        window = b""
        total = 0
        end = time.monotonic() + timeout
        while total <= max_bytes and time.monotonic() < end:
            data = self._read(0.1)
            if data is None:
                continue
            if data == b"":
                return None
            total += len(data)
            window = (window + data)[-4096:]
            if want in ESCAPES.sub(b"", window):
                self.out += window
                # Just after the text: what came with it in the same read (the prompt after "interrupted") is
                # still there for the next expect.
                shown = ESCAPES.sub(b"", self.out)
                self.seen = shown.rfind(want) + len(want)
                return total
        return None

    def type(self, keys):
        os.write(self.fd, keys.encode())

    def alive(self):
        pid, _ = os.waitpid(self.pid, os.WNOHANG)
        return pid == 0

    def close(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        os.close(self.fd)

    def tail(self):
        return ESCAPES.sub(b"", self.out)[-600:].decode(errors="replace")


class Failure(Exception):
    pass


def check(session, ok, what):
    if not ok:
        raise Failure(what + "; the terminal showed:\n" + session.tail())


def enter(s, entry, shows, what, limit=20):
    """Types an entry and Enter, and waits (at most limit seconds) until shows appears."""
    s.type(entry + "\r")
    check(s, s.expect(shows, limit), what)


def interrupt_while_running(s, name, lines, marker, limit=10):
    """Defines fn name() by typing lines, calls it, waits for marker, presses Ctrl-C and waits for
    'interrupted' (at most limit seconds) and the prompt; gives the output's position at the marker."""
    s.type("fn %s() -> unit = {\r" % name)
    for line in lines:
        s.type(line + "\r")
    s.type("}\r")
    check(s, s.expect(name + " : () -> unit", 20), "the definition of %s was not taken" % name)
    check(s, s.expect("osprey> ", 10), "no prompt after the definition")
    s.type(name + "()\r")
    check(s, s.expect(marker, 20), name + "() did not start")
    at = s.seen
    s.type("\x03")
    check(s, s.expect("interrupted", limit), "Ctrl-C did not stop %s() within %d s" % (name, limit))
    check(s, s.expect("osprey> ", 10), "no prompt after the interrupt")
    return at


def ctrl_c_stops_a_comprehension_over_a_huge_range(s):
    """A comprehension's loop polls for Ctrl-C (75751a4): it stops at once, the session goes on."""
    check(s, s.expect("osprey> ", 120), "no first prompt")
    interrupt_while_running(s, "spin", ['print("started")', "print(length([x * 2 for x in range(start: 0, end: 3000000000)]))"],
                            "started")
    enter(s, "1 + 1", "Success(2)", "the session did not go on after the interrupt")


def ctrl_c_read_with_the_keys_before_it_leaves_them_on_the_screen(s):
    """'1 + ' and Ctrl-C reaching the terminal in one read (typed fast, or sent by a tool): Ctrl-C was the
    kernel's SIGINT, which threw away the keys JLine had not read yet, and the line was left empty. Read as
    a key, it abandons the line as typed, which stays on the screen above a fresh prompt."""
    check(s, s.expect("osprey> ", 120), "no first prompt")
    s.type("1 + \x03")
    check(s, s.expect("1 + \nosprey> ", 10), "the line Ctrl-C abandoned is not on the screen as typed")
    enter(s, "2 + 3", "Success(5)", "the session did not go on")


def dumb_terminal_ctrl_c_stops_the_entry_and_keeps_the_session(s):
    """TERM=dumb leaves Ctrl-C to the kernel (SIGINT); it stops the entry, and the session keeps its names."""
    check(s, s.expect("osprey> ", 120), "no first prompt")
    enter(s, "let kept = 41", "kept : int = 41", "let was not taken")
    check(s, s.expect("osprey> ", 10), "no prompt after let")
    interrupt_while_running(s, "nap", ['print("sleeping")', "sleep(60000)"], "sleeping")
    s.type("let abandoned = 1")
    check(s, s.expect("let abandoned = 1", 10), "the typing was not echoed")
    s.type("\x03")
    check(s, s.expect("osprey> ", 10), "Ctrl-C on a line being typed gave no new prompt")
    enter(s, "kept + 1", "Success(42)", "the session lost 'kept' or ended")
    check(s, s.alive(), "the process ended")


def dumb_terminal_shows_the_continuation_prompt(s):
    """TERM=dumb: the lines of an unfinished entry are read one by one after '   ...> ' (JLine's own multi-line
    editing drew no prompt there), a :type's too; Ctrl-C on one of them drops the whole entry."""
    check(s, s.expect("osprey> ", 120), "no first prompt")
    enter(s, "fn twice(n: int) -> int {", "   ...> ", "no continuation prompt after the first line", 10)
    enter(s, "    n * 2", "   ...> ", "no continuation prompt after the second line", 10)
    enter(s, "}", "twice : (int) -> int", "the entry of three lines was not taken")
    check(s, s.expect("osprey> ", 10), "no prompt after the definition")
    enter(s, ":type [1,", "   ...> ", "no continuation prompt after an unfinished :type", 10)
    enter(s, "2]", "2] : List<int>", "the :type over two lines was not answered")
    enter(s, "let dropped = [1,", "   ...> ", "no continuation prompt in the list", 10)
    s.type("\x03")
    check(s, s.expect("osprey> ", 10), "Ctrl-C on a continuation line gave no new prompt")
    enter(s, "twice(21)", "42 : int", "the session did not go on")
    enter(s, "dropped", "unknown name 'dropped'", "the entry Ctrl-C dropped was run")


def dumb_terminal_ctrl_d_ends_its_line(s):
    """TERM=dumb: Ctrl-D is the kernel's end of input, which ends no line. The error of the unfinished entry
    it ran came after '   ...> ' on its line, and the shell's prompt after the session after 'osprey> '."""
    check(s, s.expect("osprey> ", 120), "no first prompt")
    enter(s, "[1,", "   ...> ", "no continuation prompt", 10)
    s.type("\x04")
    check(s, s.expect("expected an expression", 10), "Ctrl-D on a continuation line did not run the entry")
    check(s, b"   ...> \n<repl>:1:4: " in ESCAPES.sub(b"", s.out), "the error did not start on a line of its own")
    check(s, s.expect("osprey> ", 10), "no prompt after the error")
    s.type("\x04")
    s._wait(lambda: False, 20)  # to the end of the output
    status = wait_for_exit(s, 20)
    check(s, status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, "Ctrl-D on an empty line did not end the session with 0")
    check(s, ESCAPES.sub(b"", s.out).endswith(b"osprey> \n"), "the line of the last prompt was not ended")


def ctrl_c_during_websocket_connect_stops_the_entry_when_the_wait_ends(s):
    """websocketConnect to a server that never answers holds Ctrl-C until its timeout; then the entry stops."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(4)  # connections complete in the kernel's backlog; nothing ever answers them
    try:
        check(s, s.expect("osprey> ", 120), "no first prompt")
        url = "ws://127.0.0.1:%d/x" % silent.getsockname()[1]
        at = interrupt_while_running(s, "connectSilently", ['print("connecting")', 'let c = websocketConnect("%s", (m) => Success(()))' % url,
                                                            'print("went on after connect")'], "connecting", limit=15)
        check(s, b"went on after connect" not in ESCAPES.sub(b"", s.out)[at:], "the entry went on after the connect")
    finally:
        silent.close()


def ctrl_c_stops_the_printing_of_a_huge_value(s):
    """The REPL's answer for a list of five million ints is 43 MB; Ctrl-C stops it within a part of 64 KB.
    Four times: the kernel's flush of the terminal's output on SIGINT left the printing entry's write blocked
    for good in about one try in three, the output stopped and no 'interrupted' came."""
    check(s, s.expect("osprey> ", 120), "no first prompt")
    for attempt in range(1, 5):
        enter(s, "toList(range(start: 0, end: 5000000))", "[0, 1, 2, 3", "the list was not printed (try %d)" % attempt, 30)
        s.type("\x03")
        read = s.drain_until("interrupted", 8 << 20, 30)
        check(s, read is not None, "Ctrl-C did not stop the printing within 8 MB (try %d)" % attempt)
        check(s, s.expect("osprey> ", 10), "no prompt after the interrupt (try %d)" % attempt)
    enter(s, "1 + 1", "Success(2)", "the session did not go on after the interrupt")


def a_line_typed_ahead_of_ctrl_c_does_not_run(s):
    """A line typed while an entry runs, and then Ctrl-C: the entry stops and the line typed before the
    Ctrl-C is dropped (the terminal's own flush on SIGINT, which the session turns off, used to drop it)."""
    check(s, s.expect("osprey> ", 120), "no first prompt")
    s.type('{ print("nap" + "ping"); sleep(60000) }\r')  # "napping" is not in the echo of the entry
    check(s, s.expect("napping", 20), "the entry did not start")
    s.type('print("typed " + "ahead")\r\x03')  # the terminal takes the keys in order: the line is there before the signal
    check(s, s.expect("interrupted", 10), "Ctrl-C did not stop the entry")
    check(s, s.expect("osprey> ", 10), "no prompt after the interrupt")
    enter(s, "40 + 2", "Success(42)", "the session did not go on after the interrupt")
    check(s, b"typed ahead" not in ESCAPES.sub(b"", s.out), "the line typed before Ctrl-C ran")


def keys_typed_after_ctrl_c_stops_an_entry_go_to_the_prompt(s):
    """Ctrl-C stops an entry and the next entry is typed at once, a key every 40 ms: the session's drop of the
    keys typed before the Ctrl-C read on while keys kept coming less than 0.1 s apart, and the whole line typed
    after it was gone. Only the keys the terminal holds when the drop begins go; the spaces typed first leave
    room for a signal handled late (a busy machine), and the entry typed after them runs whole."""
    check(s, s.expect("osprey> ", 120), "no first prompt")
    for attempt in range(1, 4):
        s.type('{ print("nap" + "%d"); sleep(60000) }\r' % attempt)  # "nap1" is not in the echo of the entry
        check(s, s.expect("nap%d" % attempt, 20), "the entry did not start (try %d)" % attempt)
        s.type("\x03")
        for key in "     %d + 40\r" % attempt:
            time.sleep(0.04)
            s.type(key)
        check(s, s.expect("interrupted", 10), "Ctrl-C did not stop the entry (try %d)" % attempt)
        check(s, s.expect("Success(%d)" % (attempt + 40), 10), "the entry typed after Ctrl-C did not run whole (try %d)" % attempt)
        check(s, s.expect("osprey> ", 10), "no prompt after the entry (try %d)" % attempt)


def ctrl_c_as_an_entry_ends_leaves_the_next_entry_whole(s):
    """Ctrl-C pressed just as an entry ends, many times: the signal handled once the REPL was back at its prompt
    dropped the first keys of the next entry typed there ('{ sleep' ran as ' sleep(...) }', an unexpected '}'),
    and its ^C came out before that entry's output ('^Cdone9'), about one try in ten. Each entry is typed once
    its prompt is there, so each must run whole, and a ^C is never written at a prompt."""
    check(s, s.expect("osprey> ", 120), "no first prompt")
    for attempt in range(60):
        s.type('{ sleep(20); print("do" + "ne%d") }\r' % attempt)  # "done0" is not in the echo of the entry
        check(s, s.expect("done%d" % attempt, 10), "the entry typed after the last Ctrl-C did not run whole (try %d)" % attempt)
        s.type("\x03")
        check(s, s.expect("osprey> ", 10), "no prompt after the entry (try %d)" % attempt)
        # As a user types the next entry: a signal raised just before the REPL took Ctrl-C as a key again may
        # be handled a little after the prompt is drawn, by the line editor (which abandons the line).
        s._wait(lambda: False, 0.3)
    shown = ESCAPES.sub(b"", s.out)
    check(s, b"^Cdone" not in shown and b"osprey> ^C" not in shown, "a ^C was written at a prompt")


def send_websocket_message(port, path, text):
    """Connects to a WebSocket server on 127.0.0.1 (RFC 6455 handshake), sends one text frame and closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
        key = base64.b64encode(os.urandom(16)).decode()
        c.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (path, port, key)).encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            data = c.recv(4096)
            if not data:
                raise Failure("the server closed the connection during the handshake")
            answer += data
        if b" 101 " not in answer.split(b"\r\n")[0]:
            raise Failure("the server refused the handshake: " + answer.decode(errors="replace"))
        payload = text.encode()
        mask = os.urandom(4)
        c.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        # Closed without a close frame: the server sees the connection lost, which prints nothing here.


def a_handler_prints_above_a_readline_answer_being_typed(s):
    """A handler's print while the user types a readLine() answer goes above it, and the answer is drawn again."""
    check(s, s.expect("osprey> ", 120), "no first prompt")
    enter(s, 'let server = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/h") ?: -1', "server : int = ", "no server")
    s.type('websocketServerOnMessage(serverID: server, messageHandler: (id, m) => {\r')
    s.type('print("got ${m}")\r')
    enter(s, 'Success(())\r})', "Success(()) : Result<Success, string>", "the handler was not installed")
    enter(s, "websocketServerListen(serverID: server)", "Success(()) : Result<Success, string>", "the server did not listen")
    enter(s, "websocketServerPort(serverID: server)", "Success(", "no port")
    at = s.seen
    check(s, s.expect(")", 5), "no port")
    port = int(ESCAPES.sub(b"", s.out)[at:s.seen - 1])
    enter(s, "let answer = readLine()", "let answer = readLine()", "the entry was not echoed", 10)
    s.type("partial ans")
    check(s, s.expect("partial ans", 10), "the answer being typed was not echoed")
    send_websocket_message(port, "/h", "hello")
    check(s, s.expect("got hello", 10), "the handler's line did not appear")
    check(s, s.expect("partial ans", 10), "the answer being typed was not drawn again below the handler's line")
    enter(s, "wer", 'answer : Result<string, string> = Success("partial answer")', "the answer was not read whole", 10)


def ctrl_c_that_stops_only_a_stuck_handler_leaves_the_prompt_on_a_line_of_its_own(s):
    """Ctrl-C while an entry waits for a handler stuck in a loop stops the handler and the entry. Its ^C came after
    the entry's output, and the next prompt was drawn on the same line: '^Cosprey> ' (chatqa's finding)."""
    check(s, s.expect("osprey> ", 120), "no first prompt")
    enter(s, 'let server = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/spin") ?: -1', "server : int = ", "no server")
    enter(s, "fn spin(n: int) -> int = spin(n + 1)", "spin : (int) -> int", "spin was not declared")
    enter(s, 'websocketServerOnMessage(serverID: server, messageHandler: fn(id: int, m: string) => { print("spin" + "ning on ${m}"); let x = spin(0); Success() })',
          "Success(()) : Result<Success, string>", "the handler was not installed")
    enter(s, "websocketServerListen(serverID: server)", "Success(()) : Result<Success, string>", "the server did not listen")
    enter(s, "websocketServerPort(serverID: server)", "Success(", "no port")
    at = s.seen
    check(s, s.expect(")", 5), "no port")
    port = int(ESCAPES.sub(b"", s.out)[at:s.seen - 1])
    check(s, s.expect("osprey> ", 10), "no prompt after the port")
    send_websocket_message(port, "/spin", "go")
    check(s, s.expect("spinning on go", 10), "the handler did not start")
    mark = len(s.out)
    s.type('print("after" + "wards")\r')
    # The REPL has taken the entry once the line editor turns bracketed paste off: the Ctrl-C is the entry's,
    # even one that comes before the line editor has handed the terminal back (the session looks for it among
    # the keys). It stops the handler and the entry, which runs none of its statements.
    check(s, s.expect_raw(b"\x1b[?2004l", mark, 10), "the entry was not taken")
    s.type("\x03")
    ended = re.compile(rb"interrupted[\s\S]*osprey> ")
    check(s, s._wait(lambda: ended.search(ESCAPES.sub(b"", s.out[mark:])) is not None, 10), "no 'interrupted' and prompt once Ctrl-C stopped the handler")
    check(s, b"afterwards" not in ESCAPES.sub(b"", s.out[mark:]), "the entry ran after the handler was stopped")
    check(s, b"^Cosprey> " not in ESCAPES.sub(b"", s.out[mark:]), "the prompt was drawn on the line of the ^C")
    s.seen = len(ESCAPES.sub(b"", s.out))
    enter(s, "1 + 1", "Success(2)", "the session did not go on")


def ctrl_c_with_enter_stops_the_entry(s):
    """Ctrl-C sent with the Enter of an entry that spins, in one write: the line editor, which reads Ctrl-C as a key,
    left it among the keys as a character until it had handed the terminal back, so the entry spun on (until a second
    Ctrl-C) and the first one then abandoned the next prompt's line. Ten times: each must stop its entry."""
    check(s, s.expect("osprey> ", 120), "no first prompt")
    enter(s, "fn spin(n: int) -> int = spin(n + 1)", "spin : (int) -> int", "spin was not declared")
    check(s, s.expect("osprey> ", 10), "no prompt after the declaration")
    for attempt in range(1, 11):
        s.type("spin(%d)\r\x03" % attempt)
        check(s, s.expect("interrupted", 10), "the Ctrl-C sent with Enter did not stop the entry (try %d)" % attempt)
        check(s, s.expect("osprey> ", 10), "no prompt after the interrupt (try %d)" % attempt)
    enter(s, "40 + 2", "Success(42)", "the session did not go on after the interrupts")


def keys_typed_right_after_ctrl_c_in_a_readline_go_to_the_prompt(s):
    """Ctrl-C while readLine() waits, and a line typed at once after it: the entry stops, the line is the next entry."""
    check(s, s.expect("osprey> ", 120), "no first prompt")
    mark = len(s.out)
    enter(s, "readLine()", "readLine()", "the entry was not echoed", 10)
    # The reader of program input is reading once it turns bracketed paste on again (the prompt's reader
    # turned it off when it took the entry); only then is Ctrl-C one of its keys.
    check(s, s.expect_raw(b"\x1b[?2004h", s.out.find(b"\x1b[?2004l", mark) + 1 or len(s.out), 10), "readLine() did not start reading")
    s.type("\x0310 + 20\r")  # one write: the keys reach the terminal in this order, with no time between them
    check(s, s.expect("interrupted", 10), "Ctrl-C did not stop the readLine() entry")
    check(s, s.expect("Success(30)", 10), "the line typed after Ctrl-C did not run whole as the next entry")


SLEEPING_SERVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sleeping_server.osp")


def sigterm_while_a_server_sleeps_exits_with_143(s):
    """osprey run stopped by SIGTERM exits with 128 + 15, every time (the usage's exit codes): the shutdown hook
    cancels the run, whose thread returned 130 and once ended the JVM with it about one time in two."""
    for attempt in range(1, 7):
        run = s if attempt == 1 else Session("xterm-256color", ("run", SLEEPING_SERVER))
        try:
            check(run, run.expect("listening", 120), "the server did not start (run %d)" % attempt)
            os.kill(run.pid, signal.SIGTERM)
            end = time.monotonic() + 20
            status = None
            while status is None and time.monotonic() < end:
                pid, waited = os.waitpid(run.pid, os.WNOHANG)
                if pid == 0:
                    run._read(0.05)  # keep the terminal drained
                else:
                    status = waited
            check(run, status is not None, "osprey did not end within 20 s of SIGTERM (run %d)" % attempt)
            check(run, os.WIFEXITED(status) and os.WEXITSTATUS(status) == 143,
                  "run %d ended with %s, not exit status 143" % (attempt, os.WEXITSTATUS(status) if os.WIFEXITED(status) else "a signal"))
        finally:
            if run is not s:
                run.close()


HELLO = os.path.join(ROOT, "examples", "hello.osp")


def training_runs():
    """Whether a training run of the ahead-of-time cache (AotTraining) of this project is running."""
    for pid in os.listdir("/proc"):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                args = f.read().split(b"\0")
        except OSError:
            continue
        if b"org.osprey.launcher/org.osprey.launcher.AotTraining" in args and any(ROOT.encode() in a for a in args):
            return True
    return False


def wait_for_exit(run, limit):
    """The exit status of the session's process, None if it did not end within limit seconds."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        pid, status = os.waitpid(run.pid, os.WNOHANG)
        if pid != 0:
            return status
        run._read(0.05)  # keep the terminal drained
    return None


PLUGIN = os.path.join(ROOT, "examples", "plugin")


def a_builtins_module_given_with_plugin_path_is_found(_):
    """osprey --plugin-path=JAR puts a builtins module of the user's own on the class path, where the
    interpreter finds it (docs/plugins.md); a path that does not exist is refused before anything starts."""
    jar = os.path.join(PLUGIN, "target", "osprey-random-plugin-0.1.0-SNAPSHOT.jar")
    check_exists = os.path.exists(jar)
    run = Session("xterm-256color", ("--plugin-path=" + jar, "--osprey.Plugin.random.Seed=7", "run", os.path.join(PLUGIN, "dice.osp")))
    try:
        check(run, check_exists, "the example module was not built: " + jar)
        check(run, run.expect("five rolls in 1..6: true\n"
                              "Error(randomInt: low (5) is greater than high (3))\n"
                              "Success(7)\n", 120), "the module's functions did not run")
        check(run, run.expect("a sequence: [", 10), "the program did not finish")
        status = wait_for_exit(run, 30)
        check(run, status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, "the run failed")
    finally:
        run.close()
    missing = Session("xterm-256color", ("--plugin-path", "/nonexistent/random.jar", "run", os.path.join(PLUGIN, "dice.osp")))
    try:
        check(missing, missing.expect("osprey: --plugin-path: no such file or directory: /nonexistent/random.jar", 60), "no word of the missing jar")
        status = wait_for_exit(missing, 30)
        check(missing, status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 2, "a missing jar did not exit with 2")
    finally:
        missing.close()


def ctrl_c_while_fast_start_is_prepared_stops_the_launch(_):
    """Ctrl-C while the launcher trains the start-up cache stops the launch with 130 and does not run the
    program; nothing is marked as failed, so the next run trains again and then starts fast. Before, the
    training JVM took the Ctrl-C as its own, the launcher recorded "could not train" (every later run of
    that build started slowly) and then ran the program anyway."""
    target = os.path.join(ROOT, "repl", "target")
    aot, failed = os.path.join(target, "osprey.aot"), os.path.join(target, "fast-start.failed")
    if not os.path.exists(aot):
        raise Failure("no start-up cache (repl/target/osprey.aot) to begin with: is fast start off here?")
    os.utime(os.path.join(ROOT, "scripts", "aot-training.osp"))  # the cache is out of date now
    run = Session("xterm-256color", ("run", HELLO))
    try:
        check(run, run.expect("preparing the fast-start runtime", 60), "the launcher did not begin to train")
        end = time.monotonic() + 60
        while not training_runs() and time.monotonic() < end:
            run._read(0.05)
        check(run, training_runs(), "no training run started")
        run.type("\x03")
        check(run, run.expect("interrupted; the set-up starts again at the next run", 20), "no word of the interruption")
        status = wait_for_exit(run, 20)
        check(run, status is not None, "the launcher did not end within 20 s of Ctrl-C")
        check(run, os.WIFEXITED(status) and os.WEXITSTATUS(status) == 130,
              "the launcher ended with %s, not exit status 130" % (os.WEXITSTATUS(status) if os.WIFEXITED(status) else "a signal"))
        check(run, b"Hello from Osprey" not in run.out, "the program ran after the Ctrl-C")
        check(run, not training_runs(), "the training run is still running")
        check(run, not os.path.exists(failed), "fast start was marked as failed")
        check(run, not os.path.exists(aot) and not os.path.exists(aot + ".config"), "a partial cache was left")
    finally:
        run.close()
    again = Session("xterm-256color", ("run", HELLO))
    try:
        check(again, again.expect("preparing the fast-start runtime", 60), "the next run did not train again")
        check(again, again.expect("Hello from Osprey!", 300), "the next run did not run the program")
        status = wait_for_exit(again, 60)
        check(again, status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, "the next run failed")
        check(again, os.path.exists(aot), "the next run made no start-up cache")
    finally:
        again.close()


def file_names_are_utf8_under_the_c_locale(_):
    """Under the C locale (cron, containers without LANG) the JVM gave file names to the system in ASCII, and
    writeFile("日本.txt", ...) was an Error ("not a valid path"). scripts/osprey runs it with C.UTF-8 instead,
    and the program and the commands it spawns still see LC_ALL=C (or no LC_CTYPE, when it was not set)."""
    program = ('print(writeFile("日本.txt", "é"))\nprint(readFile("日本.txt"))\nprint(getEnv("LC_ALL"))\nprint(getEnv("LC_CTYPE"))\n'
               'match spawnProcess("ls; echo \\${LC_ALL-none} \\${LC_CTYPE-none}", fn(i: int, t: int, d: string) => print(d)) {\n'
               '    Success { value } => awaitProcess(value.processId)\n    Error { message } => 1\n}\n')
    base = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k != "LANG"}
    for extra, shown in (({"LC_ALL": "C"}, ("Success(C)", "Error(environment variable LC_CTYPE is not set)", "C none")),
                         ({}, ("Error(environment variable LC_ALL is not set)", "Error(environment variable LC_CTYPE is not set)", "none none")),
                         ({"LANG": "C", "LC_CTYPE": "POSIX"}, ("Error(environment variable LC_ALL is not set)", "Success(POSIX)", "none POSIX"))):
        with tempfile.TemporaryDirectory() as d:
            run = subprocess.run([OSPREY, "-e", program], cwd=d, env=dict(base, **extra), capture_output=True, timeout=600)
            out = run.stdout.decode("utf-8", "replace")
            want = "Success(())\nSuccess(é)\n%s\n%s\n日本.txt\n%s\n0\n" % shown
            if run.returncode != 0 or not out.endswith(want):
                raise Failure("under %s: exit %d, printed:\n%s\nstderr:\n%s" % (extra, run.returncode, out, run.stderr.decode("utf-8", "replace")))


def a_maximum_heap_below_the_first_heap_in_osprey_java_opts_starts(_):
    """OSPREY_JAVA_OPTS=-Xmx48m ran no program: the launcher's first heap of 96 MB is larger than that
    maximum, and the JVM refused to start ("Initial heap size set to a larger value than the maximum heap
    size"). A maximum below it now keeps the JVM's own first heap; a larger one keeps the launcher's."""
    for opts in ("-Xmx48m", "-XX:MaxHeapSize=50000000", "-Xmx512m"):
        run = subprocess.run([OSPREY, "-e", "print(1 + 1)"], env=dict(os.environ, OSPREY_JAVA_OPTS=opts),
                             capture_output=True, timeout=600)
        if run.returncode != 0 or not run.stdout.decode("utf-8", "replace").endswith("2\n"):
            raise Failure("with OSPREY_JAVA_OPTS=%s: exit %d, stderr:\n%s" % (opts, run.returncode, run.stderr.decode("utf-8", "replace")))


CASES = [
    (ctrl_c_stops_a_comprehension_over_a_huge_range, "xterm-256color", ()),
    (ctrl_c_read_with_the_keys_before_it_leaves_them_on_the_screen, "xterm-256color", ()),
    (dumb_terminal_ctrl_c_stops_the_entry_and_keeps_the_session, "dumb", ()),
    (dumb_terminal_shows_the_continuation_prompt, "dumb", ()),
    (dumb_terminal_ctrl_d_ends_its_line, "dumb", ()),
    (ctrl_c_during_websocket_connect_stops_the_entry_when_the_wait_ends, "xterm-256color", ("--websocket-connect-timeout=2",)),
    (ctrl_c_stops_the_printing_of_a_huge_value, "xterm-256color", ()),
    (a_line_typed_ahead_of_ctrl_c_does_not_run, "xterm-256color", ()),
    (keys_typed_after_ctrl_c_stops_an_entry_go_to_the_prompt, "xterm-256color", ()),
    (ctrl_c_as_an_entry_ends_leaves_the_next_entry_whole, "xterm-256color", ()),
    (a_handler_prints_above_a_readline_answer_being_typed, "xterm-256color", ()),
    (ctrl_c_that_stops_only_a_stuck_handler_leaves_the_prompt_on_a_line_of_its_own, "xterm-256color", ()),
    (ctrl_c_with_enter_stops_the_entry, "xterm-256color", ()),
    (keys_typed_right_after_ctrl_c_in_a_readline_go_to_the_prompt, "xterm-256color", ()),
    (sigterm_while_a_server_sleeps_exits_with_143, "xterm-256color", ("run", SLEEPING_SERVER)),
    (a_builtins_module_given_with_plugin_path_is_found, "xterm-256color", None),
    (file_names_are_utf8_under_the_c_locale, None, None),
    (a_maximum_heap_below_the_first_heap_in_osprey_java_opts_starts, None, None),
    # Last: it makes the start-up cache out of date, and the cases before start faster with it.
    (ctrl_c_while_fast_start_is_prepared_stops_the_launch, "xterm-256color", None),
]


def main(names):
    failed = 0
    run = 0
    for case, term, args in CASES:
        if names and case.__name__ not in names:
            continue
        run += 1
        s = Session(term, args) if args is not None else None  # None: the case starts its own
        try:
            case(s)
            print("ok   " + case.__name__)
        except Failure as e:
            failed += 1
            print("FAIL " + case.__name__ + ": " + str(e))
        finally:
            if s is not None:
                s.close()
    print("terminal tests: %d run, %d failed" % (run, failed))
    return 1 if failed or not run else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
