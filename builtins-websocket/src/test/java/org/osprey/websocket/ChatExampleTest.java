package org.osprey.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * examples/chat as a user runs it: the Osprey chat server, with the Osprey client typing into it, a browser
 * showing chat.html, and a JDK client in the room watching what everyone receives. The example files are
 * used as they are, except the port: 8080 becomes a free one.
 */
class ChatExampleTest {
    static final Path CHAT = Path.of("../examples/chat");

    @AfterEach
    void noLibraryThreadsLeft() throws InterruptedException {
        Threads.awaitNone("WebSocket");
    }

    static String example(String file) throws IOException {
        return Files.readString(CHAT.resolve(file), StandardCharsets.UTF_8);
    }

    /** Starts the example server on a free port and returns its URL. */
    static String startServer(RunningProgram[] holder) throws Exception {
        String source = example("server.osp");
        if (!source.contains("let port = 8080")) {
            fail("examples/chat/server.osp no longer says 'let port = 8080'");
        }
        holder[0] = RunningProgram.start("server.osp", source.replace("let port = 8080", "let port = 0"));
        String line = holder[0].awaitLine("Chat server listening on ");
        return line.substring("Chat server listening on ".length());
    }

    @Test
    void theOspreyClientJoinsTakesANameTalksAndLeaves() throws Exception {
        RunningProgram[] server = new RunningProgram[1];
        String url = startServer(server);
        try (RunningProgram s = server[0]; JdkClient watcher = JdkClient.connect(url)) {
            assertEquals("* welcome, guest-2; send /nick NAME to choose a name", watcher.next());
            assertEquals("* guest-2 joined", watcher.next());
            String source = example("client.osp");
            try (RunningProgram client = RunningProgram.start("client.osp", source.replace("ws://127.0.0.1:8080/chat", url))) {
                assertEquals("* guest-3 joined", watcher.next());
                client.awaitLine("* guest-3 joined");
                client.type("/nick bob");
                assertEquals("* guest-3 is now bob", watcher.next());
                client.type("hello from Osprey");
                assertEquals("bob: hello from Osprey", watcher.next());
                watcher.send("hi bob");
                assertEquals("guest-2: hi bob", watcher.next());
                client.awaitLine("guest-2: hi bob");
                client.type(""); // an empty line quits
                client.join();
                assertEquals(List.of("* welcome, guest-3; send /nick NAME to choose a name", "* guest-3 joined", "* guest-3 is now bob",
                                "bob: hello from Osprey", "guest-2: hi bob"), client.out().lines());
                assertEquals("", client.err().text());
            }
            assertEquals("* bob left", watcher.next());
            s.close(); // as the program ending does: every client gets a close frame
            assertEquals(1001, watcher.awaitClose());
            assertEquals("", s.err().text());
        }
    }

    @Test
    void theOspreyClientSaysWhenTheServerGoes() throws Exception {
        RunningProgram[] server = new RunningProgram[1];
        String url = startServer(server);
        String source = example("client.osp");
        try (RunningProgram client = RunningProgram.start("client.osp", source.replace("ws://127.0.0.1:8080/chat", url))) {
            try (RunningProgram s = server[0]) {
                client.awaitLine("* guest-2 joined");
                s.close(); // the server program ends: every client gets a close frame with 1001
            }
            client.awaitLine("* WebSocket connection 1 was closed by the server with 1001 (server stopped); an empty line quits");
            client.type("anyone?");
            client.awaitLine("* cannot send: WebSocket connection 1 was closed by the server with 1001 (server stopped)");
            client.type("");
            client.join();
            assertEquals("", client.err().text());
        }
    }

    @Test
    void aBrowserShowingChatHtmlTalksWithTheRoom() throws Exception {
        Path chromium = HeadlessChromium.find();
        if (chromium == null) {
            // scripts/test installs Debian's chromium; it sets OSPREY_SKIP_BROWSER only when it could not, and says so.
            Assumptions.assumeTrue("1".equals(System.getenv("OSPREY_SKIP_BROWSER")) == false,
                            "no Chromium, and OSPREY_SKIP_BROWSER=1: the browser test is skipped");
            fail("no Chromium found: install Debian's chromium package (scripts/test does this) or set OSPREY_CHROMIUM");
        }
        RunningProgram[] server = new RunningProgram[1];
        String url = startServer(server);
        try (RunningProgram s = server[0]; JdkClient watcher = JdkClient.connect(url)) {
            assertEquals("* welcome, guest-2; send /nick NAME to choose a name", watcher.next());
            assertEquals("* guest-2 joined", watcher.next());
            String page = CHAT.resolve("chat.html").toAbsolutePath().normalize().toUri() + "?server=" + encode(url) + "&name=alice&say="
                            + encode("hello from the browser");
            try (HeadlessChromium browser = HeadlessChromium.open(chromium, page)) {
                assertEquals("* guest-3 joined", watcher.next());
                assertEquals("* guest-3 is now alice", watcher.next());
                assertEquals("alice: hello from the browser", watcher.next());
                watcher.send("hi alice");
                assertEquals("guest-2: hi alice", watcher.next());
                String log = browser.await("document.getElementById('log').innerText", t -> t.contains("guest-2: hi alice"), Duration.ofSeconds(30));
                assertEquals(String.join("\n", "* welcome, guest-3; send /nick NAME to choose a name", "* guest-3 joined", "* guest-3 is now alice",
                                "alice: hello from the browser", "guest-2: hi alice"), log.strip());
                assertEquals("connected to " + url, browser.evaluate("document.getElementById('status').textContent"));
            }
            assertEquals("* alice left", watcher.next());
            assertEquals("", s.err().text());
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
