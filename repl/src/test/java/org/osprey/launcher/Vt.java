package org.osprey.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * A small VT100/xterm screen for the REPL tests: it applies what JLine writes (text, carriage returns,
 * backspaces, cursor moves, erases, inserted and deleted characters, colours) so that a test compares what
 * a person would see, and can ask where the cursor is and how a character is coloured. A line JLine redrew
 * in place shows its final state. Lines that scroll away are kept: the text is the whole session.
 */
final class Vt {
    /** How one character is drawn: a colour index (0-7 normal, 8-15 bright, up to 255), or -1 for the default. */
    record Style(int foreground, boolean bold, boolean italic, boolean underline) {
        static final Style PLAIN = new Style(-1, false, false, false);

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            if (foreground >= 0) {
                parts.add(foreground < NAMES.length ? NAMES[foreground] : "colour " + foreground);
            }
            if (bold) {
                parts.add("bold");
            }
            if (italic) {
                parts.add("italic");
            }
            if (underline) {
                parts.add("underline");
            }
            return parts.isEmpty() ? "plain" : String.join(" ", parts);
        }
    }

    private static final String[] NAMES = {"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white", "bright black", "bright red",
                    "bright green", "bright yellow", "bright blue", "bright magenta", "bright cyan", "bright white"};

    private final List<StringBuilder> text = new ArrayList<>();
    private final List<List<Style>> styles = new ArrayList<>();
    private int row;
    private int col;
    private Style pen = Style.PLAIN;

    private Vt() {
        ensureRow(0);
    }

    /** The screen after the terminal received {@code raw}. */
    static Vt of(String raw) {
        Vt vt = new Vt();
        vt.write(raw);
        return vt;
    }

    /** The text on the screen, lines without trailing spaces, joined by line breaks. */
    String text() {
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < text.size(); k++) {
            if (k > 0) {
                out.append('\n');
            }
            out.append(stripEnd(text.get(k)));
        }
        return out.toString();
    }

    int cursorRow() {
        return row;
    }

    int cursorColumn() {
        return col;
    }

    /** The text of one line, without trailing spaces. */
    String line(int r) {
        return r < text.size() ? stripEnd(text.get(r)) : "";
    }

    /** How the character at (row, column) is drawn. */
    Style styleAt(int r, int c) {
        if (r >= styles.size() || c >= styles.get(r).size()) {
            return Style.PLAIN;
        }
        return styles.get(r).get(c);
    }

    /** The last line whose text starts with {@code prefix}, or -1. */
    int lastLineStartingWith(String prefix) {
        for (int r = text.size() - 1; r >= 0; r--) {
            if (text.get(r).toString().startsWith(prefix)) {
                return r;
            }
        }
        return -1;
    }

    private void write(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == 0x1B && i + 1 < raw.length() && raw.charAt(i + 1) == '[') {
                int j = i + 2;
                while (j < raw.length() && "0123456789;?>".indexOf(raw.charAt(j)) >= 0) {
                    j++;
                }
                if (j >= raw.length()) {
                    return; // a sequence still arriving
                }
                String params = raw.substring(i + 2, j);
                csi(params.startsWith("?") || params.startsWith(">") ? null : params, raw.charAt(j));
                i = j;
                continue;
            }
            if (c == 0x1B) {
                if (i + 1 < raw.length() && raw.charAt(i + 1) == ']') {
                    // an operating system command (a window title): skip to its end
                    int end = i + 2;
                    while (end < raw.length() && raw.charAt(end) != 7 && !(raw.charAt(end) == 0x1B && end + 1 < raw.length() && raw.charAt(end + 1) == '\\')) {
                        end++;
                    }
                    i = raw.charAt(Math.min(end, raw.length() - 1)) == 7 ? end : end + 1;
                    continue;
                }
                i++; // a two-character sequence such as ESC = or ESC >
                if (i < raw.length() && (raw.charAt(i) == '(' || raw.charAt(i) == ')')) {
                    i++;
                }
                continue;
            }
            switch (c) {
                case '\n' -> {
                    row++;
                    col = 0;
                    ensureRow(row);
                }
                case '\r' -> col = 0;
                case '\b' -> col = Math.max(0, col - 1);
                case '\t' -> col = (col / 8 + 1) * 8;
                case 7 -> {
                    // the bell
                }
                default -> {
                    if (c >= ' ') {
                        put(c);
                    }
                }
            }
        }
    }

    /** A control sequence; {@code params} is null for private modes (ESC [ ? ...), which change nothing visible. */
    private void csi(String params, char command) {
        if (params == null) {
            return;
        }
        String[] p = params.isEmpty() ? new String[0] : params.split(";", -1);
        int n = p.length == 0 || p[0].isEmpty() ? 1 : Integer.parseInt(p[0]);
        StringBuilder line = text.get(row);
        List<Style> lineStyles = styles.get(row);
        switch (command) {
            case 'A' -> row = Math.max(0, row - n);
            case 'B' -> {
                row += n;
                ensureRow(row);
            }
            case 'C' -> col += n;
            case 'D' -> col = Math.max(0, col - n);
            case 'G' -> col = Math.max(0, n - 1);
            case 'H' -> {
                row = Math.max(0, n - 1);
                col = p.length > 1 && !p[1].isEmpty() ? Math.max(0, Integer.parseInt(p[1]) - 1) : 0;
                ensureRow(row);
            }
            case 'K' -> {
                String mode = p.length == 0 ? "0" : p[0];
                if (mode.isEmpty() || mode.equals("0")) {
                    truncate(line, lineStyles, col);
                } else if (mode.equals("2")) {
                    truncate(line, lineStyles, 0);
                }
            }
            case 'J' -> {
                truncate(line, lineStyles, col);
                while (text.size() > row + 1) {
                    text.remove(text.size() - 1);
                    styles.remove(styles.size() - 1);
                }
            }
            case 'P' -> {
                for (int k = 0; k < n && col < line.length(); k++) {
                    line.deleteCharAt(col);
                    lineStyles.remove(col);
                }
            }
            case '@' -> {
                pad(line, lineStyles, col);
                for (int k = 0; k < n; k++) {
                    line.insert(col, ' ');
                    lineStyles.add(col, Style.PLAIN);
                }
            }
            case 'X' -> {
                for (int k = col; k < col + n && k < line.length(); k++) {
                    line.setCharAt(k, ' ');
                    lineStyles.set(k, Style.PLAIN);
                }
            }
            case 'm' -> sgr(p);
            default -> {
                // scrolling regions, reports and the like: nothing to show
            }
        }
    }

    /** Select graphic rendition: the colours and attributes of what is written next. */
    private void sgr(String[] p) {
        if (p.length == 0) {
            pen = Style.PLAIN;
            return;
        }
        for (int k = 0; k < p.length; k++) {
            int v = p[k].isEmpty() ? 0 : Integer.parseInt(p[k]);
            if (v == 0) {
                pen = Style.PLAIN;
            } else if (v == 1) {
                pen = new Style(pen.foreground(), true, pen.italic(), pen.underline());
            } else if (v == 3) {
                pen = new Style(pen.foreground(), pen.bold(), true, pen.underline());
            } else if (v == 4) {
                pen = new Style(pen.foreground(), pen.bold(), pen.italic(), true);
            } else if (v == 22) {
                pen = new Style(pen.foreground(), false, pen.italic(), pen.underline());
            } else if (v == 23) {
                pen = new Style(pen.foreground(), pen.bold(), false, pen.underline());
            } else if (v == 24) {
                pen = new Style(pen.foreground(), pen.bold(), pen.italic(), false);
            } else if (v >= 30 && v <= 37) {
                pen = new Style(v - 30, pen.bold(), pen.italic(), pen.underline());
            } else if (v >= 90 && v <= 97) {
                pen = new Style(v - 90 + 8, pen.bold(), pen.italic(), pen.underline());
            } else if (v == 39) {
                pen = new Style(-1, pen.bold(), pen.italic(), pen.underline());
            } else if (v == 38 && k + 2 < p.length && p[k + 1].equals("5")) {
                pen = new Style(Integer.parseInt(p[k + 2]), pen.bold(), pen.italic(), pen.underline());
                k += 2;
            } else if ((v == 38 || v == 48) && k + 4 < p.length && p[k + 1].equals("2")) {
                k += 4; // true colour: not used by these tests
            } else if (v == 48 && k + 2 < p.length && p[k + 1].equals("5")) {
                k += 2; // backgrounds are not compared
            }
        }
    }

    private void put(char c) {
        StringBuilder line = text.get(row);
        List<Style> lineStyles = styles.get(row);
        pad(line, lineStyles, col);
        if (col < line.length()) {
            line.setCharAt(col, c);
            lineStyles.set(col, pen);
        } else {
            line.append(c);
            lineStyles.add(pen);
        }
        col++;
    }

    private void ensureRow(int r) {
        while (text.size() <= r) {
            text.add(new StringBuilder());
            styles.add(new ArrayList<>());
        }
    }

    private static void pad(StringBuilder line, List<Style> lineStyles, int to) {
        while (line.length() < to) {
            line.append(' ');
            lineStyles.add(Style.PLAIN);
        }
    }

    private static void truncate(StringBuilder line, List<Style> lineStyles, int at) {
        if (at < line.length()) {
            line.setLength(at);
            lineStyles.subList(at, lineStyles.size()).clear();
        }
    }

    private static String stripEnd(CharSequence sb) {
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        return sb.subSequence(0, end).toString();
    }
}
