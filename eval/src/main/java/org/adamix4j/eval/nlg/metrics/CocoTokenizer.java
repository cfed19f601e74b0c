package org.adamix4j.eval.nlg.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An approximation, written from the documented behaviour, of the tokenisation the MS-COCO caption evaluation
 * ({@code pycocoevalcap}, used by the E2E scorer for METEOR, ROUGE-L and CIDEr) applies before scoring: Stanford
 * CoreNLP 3.4.1's {@code PTBTokenizer -preserveLines -lowerCase}, then removal of the tokens
 * {@code '' ' `` ` -LRB- -RRB- -LCB- -RCB- . ? ! , : - -- ... ;}.
 *
 * <p>Only splitting and removal change scores (a consistent renaming of a token in hypotheses and references does
 * not), so PTB's renamings ({@code £} to {@code #}, brackets to {@code -LRB-}, British to American spelling,
 * {@code /} escaping) are not reproduced. Rules implemented:
 * <ul>
 *   <li>lower-casing (full Unicode); typographic quotes and apostrophes mapped to ASCII, {@code …} to {@code ...},
 *       en/em dashes to {@code --};</li>
 *   <li>white space splits; runs of periods, {@code --}, and the characters {@code , ; : ! ? " ` ( ) [ ] { } * + =
 *       % @ # $ £ € ¥ / < > |} are split off (a comma or period between digits, a slash between digits, stays);</li>
 *   <li>a word-final period is split off (a token with an inner period such as {@code u.s.} keeps it); hyphens inside
 *       a word stay ({@code family-friendly}, {@code 20-25}), a leading or trailing hyphen is split off;</li>
 *   <li>clitics: {@code n't}, {@code 's 'm 'd 're 've 'll} split off; {@code cannot} becomes {@code can not};
 *       quote apostrophes at the start or end of a word are split off.</li>
 * </ul>
 * Differences from CoreNLP remain for rare forms (abbreviations such as {@code St.}, {@code ..}, URLs, emoticons);
 * {@code docs/nlg-metrics.md} gives the measured effect on the E2E oracle.
 */
public final class CocoTokenizer {
    private static final Set<String> REMOVED = Set.of("''", "'", "``", "`", "-lrb-", "-rrb-", "-lcb-", "-rcb-",
            "(", ")", "{", "}", ".", "?", "!", ",", ":", "-", "--", "...", ";", "\"");
    private static final String SPLIT_CHARS = ",;:!?\"`()[]{}*+=%@#$£€¥/<>|";
    private static final String[] CLITICS = {"'s", "'m", "'d", "'re", "'ve", "'ll"};

    private CocoTokenizer() {
    }

    /** The tokens the COCO scorers see: tokenised, lower-cased, punctuation tokens removed. */
    public static List<String> tokenize(String text) {
        String s = text.toLowerCase(Locale.ROOT)
                .replace('\u2019', '\'').replace('\u2018', '\'').replace('\u201C', '"').replace('\u201D', '"')
                .replace("\u2026", " ... ").replace("\u2013", " -- ").replace("\u2014", " -- ");
        List<String> raw = new ArrayList<>();
        for (String chunk : s.trim().split("\\s+")) {
            if (!chunk.isEmpty()) {
                splitChunk(chunk, raw);
            }
        }
        List<String> out = new ArrayList<>(raw.size());
        for (String t : raw) {
            if (!t.isEmpty() && !REMOVED.contains(t) && !t.matches("\\.{2,}|-{2,}")) {
                out.add(t);
            }
        }
        return out;
    }

    /** The space-joined token string (what pycocoevalcap's scorers split on spaces). */
    public static String normalize(String text) {
        return String.join(" ", tokenize(text));
    }

    private static void splitChunk(String w, List<String> out) {
        // 1. split off symbol characters (keeping commas, periods and slashes between digits)
        StringBuilder cur = new StringBuilder();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            boolean betweenDigits = i > 0 && i + 1 < w.length() && Character.isDigit(w.charAt(i - 1))
                    && Character.isDigit(w.charAt(i + 1));
            if (SPLIT_CHARS.indexOf(c) >= 0 && !((c == ',' || c == '/') && betweenDigits)) {
                if (cur.length() > 0) {
                    parts.add(cur.toString());
                    cur.setLength(0);
                }
                parts.add(String.valueOf(c));
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            parts.add(cur.toString());
        }
        for (String p : parts) {
            if (p.length() == 1 && SPLIT_CHARS.indexOf(p.charAt(0)) >= 0) {
                out.add(p);
            } else {
                word(p, out);
            }
        }
    }

    private static void addReversed(List<String> tail, List<String> out) {
        for (int i = tail.size() - 1; i >= 0; i--) {
            out.add(tail.get(i));
        }
    }

    /** Periods, hyphens, quotes and clitics of one symbol-free piece. */
    private static void word(String w, List<String> out) {
        List<String> tail = new ArrayList<>();
        boolean changed = true;
        while (changed && !w.isEmpty()) {
            changed = false;
            // a run of periods or hyphens of length >= 2 anywhere is its own token
            int dots = w.indexOf("..");
            if (dots >= 0) {
                int end = dots;
                while (end < w.length() && w.charAt(end) == '.') {
                    end++;
                }
                word(w.substring(0, dots), out);
                out.add(w.substring(dots, end));
                word(w.substring(end), out);
                addReversed(tail, out);
                return;
            }
            int dashes = w.indexOf("--");
            if (dashes >= 0) {
                int end = dashes;
                while (end < w.length() && w.charAt(end) == '-') {
                    end++;
                }
                word(w.substring(0, dashes), out);
                out.add(w.substring(dashes, end));
                word(w.substring(end), out);
                addReversed(tail, out);
                return;
            }
            if (w.startsWith("'") || w.startsWith("-") || w.startsWith(".")) {
                out.add(w.substring(0, 1));
                w = w.substring(1);
                changed = true;
                continue;
            }
            if (w.endsWith(".") && (w.length() == 1 || w.substring(0, w.length() - 1).indexOf('.') < 0
                    || !Character.isLetter(w.charAt(w.length() - 2)))) {
                tail.add(".");
                w = w.substring(0, w.length() - 1);
                changed = true;
                continue;
            }
            if (w.endsWith("-") || (w.endsWith("'") && !w.endsWith("n't"))) {
                tail.add(w.substring(w.length() - 1));
                w = w.substring(0, w.length() - 1);
                changed = true;
                continue;
            }
            if (w.length() > 3 && w.endsWith("n't")) {
                tail.add("n't");
                w = w.substring(0, w.length() - 3);
                changed = true;
                continue;
            }
            for (String c : CLITICS) {
                if (w.length() > c.length() && w.endsWith(c)) {
                    tail.add(c);
                    w = w.substring(0, w.length() - c.length());
                    changed = true;
                    break;
                }
            }
        }
        if (w.equals("cannot")) {
            out.add("can");
            out.add("not");
        } else if (!w.isEmpty()) {
            out.add(w);
        }
        addReversed(tail, out);
    }
}
