package org.osprey.http;

import java.util.List;
import java.util.regex.Pattern;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

/**
 * What RFC 9112 refuses in a request's head but the JDK's server lets through to the handler. Its parser
 * splits the request line at spaces and checks neither the method nor the version, reads Content-Length
 * with Java's rules rather than HTTP's, and takes any number of Host headers. A refused request is answered
 * without calling the handler, and its connection closed: a head read wrongly says nothing sure about
 * where the next request starts.
 */
final class RequestChecks {
    private RequestChecks() {
    }

    /** The answer to a refused request: its status and the body that says why. */
    record Refusal(int status, String why) {
    }

    /** Why the request is refused, or null when the handler may have it. */
    static Refusal refusal(HttpExchange exchange) {
        if (!HeaderLines.isToken(exchange.getRequestMethod())) {
            // Whatever came before the first space was the method, control characters included: a terminal's
            // escape sequence went to the handler, and to stderr when the handler failed.
            return new Refusal(400, "invalid request method");
        }
        // The JDK's server takes what follows the target's space as the version, unchecked: GET /a FOO and
        // GET /a HTTP/2.0 were served as HTTP/1.1, and GET /a b (a space in the target, no version) as /a.
        // HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive (RFC 9112 section 2.3).
        String version = exchange.getProtocol();
        if (!VERSION.matcher(version).matches()) {
            return new Refusal(400, "invalid request line: expected 'METHOD /target HTTP/1.1'");
        }
        if (version.charAt(5) != '1') {
            return new Refusal(505, "HTTP version " + version.substring(5) + " not supported: this server speaks HTTP/1.1");
        }
        // Content-Length = 1*DIGIT (RFC 9110 section 8.6); the JDK's server reads it with Long.parseLong, which
        // takes "+3" as 3 where a proxy in front may refuse it or read it otherwise. (It refuses two itself.)
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null && !DIGITS.matcher(length).matches()) {
            return new Refusal(400, "invalid Content-Length");
        }
        // RFC 9110 section 5.5: a field value has no control characters but tab; one with a NUL must be refused
        // (or the NUL replaced). The JDK's server handed a NUL or a terminal's escape sequence on to the handler,
        // whose program may print it, write it to a log or pass it on.
        for (java.util.Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            for (String value : header.getValue()) {
                if (value.chars().anyMatch(c -> c < ' ' && c != '\t' || c == 0x7F)) {
                    return new Refusal(400, "invalid value of the header " + header.getKey() + " (a control character)");
                }
            }
        }
        if (version.charAt(7) != '0') {
            // RFC 9112 section 3.2: a server MUST answer 400 to an HTTP/1.1 request without a Host header, with
            // more than one, or with one whose value is not a host. Two were both handed on ("Host: a\nHost: b"),
            // for the handler to pick one, where a proxy in front may have picked the other.
            String problem = hostProblem(exchange.getRequestHeaders());
            if (problem != null) {
                return new Refusal(400, problem);
            }
        }
        return null;
    }

    /**
     * The patterns of the checks, compiled once: String.matches compiled each anew, two or three times a request
     * (in a profile of 9,000 requests, the checks were 8% of the samples of the threads that read and answer
     * requests, the compiling half of that).
     */
    private static final Pattern VERSION = Pattern.compile("HTTP/[0-9]\\.[0-9]");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9\\-._~%!$&'()*+,;=]*(:[0-9]*)?|\\[[A-Za-z0-9\\-._~%:]+\\](:[0-9]*)?");

    private static String hostProblem(Headers headers) {
        List<String> hosts = headers.get("Host");
        if (hosts == null || hosts.isEmpty()) {
            return "missing Host header";
        }
        if (hosts.size() > 1) {
            return "more than one Host header";
        }
        // uri-host [ ":" port ]: a name, an IPv4 address or an IP literal in brackets (RFC 3986 section 3.2.2).
        // Empty is allowed: a client sends it for a target without an authority.
        if (!HOST.matcher(hosts.get(0)).matches()) {
            return "invalid Host header";
        }
        return null;
    }
}
