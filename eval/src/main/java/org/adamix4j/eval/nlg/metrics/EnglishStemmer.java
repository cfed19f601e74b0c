package org.adamix4j.eval.nlg.metrics;

import java.util.Map;

/**
 * The Snowball English ("Porter2") stemmer, written from the published algorithm description
 * (snowballstem.org/algorithms/english/stemmer.html), which is the stemmer METEOR 1.5 uses for English. Input is one
 * lower-case word; output its stem.
 */
public final class EnglishStemmer {
    private static final Map<String, String> EXCEPTIONS = Map.ofEntries(
            Map.entry("skis", "ski"), Map.entry("skies", "sky"), Map.entry("dying", "die"), Map.entry("lying", "lie"),
            Map.entry("tying", "tie"), Map.entry("idly", "idl"), Map.entry("gently", "gentl"), Map.entry("ugly", "ugli"),
            Map.entry("early", "earli"), Map.entry("only", "onli"), Map.entry("singly", "singl"), Map.entry("sky", "sky"),
            Map.entry("news", "news"), Map.entry("howe", "howe"), Map.entry("atlas", "atlas"),
            Map.entry("cosmos", "cosmos"), Map.entry("bias", "bias"), Map.entry("andes", "andes"));
    private static final java.util.Set<String> AFTER_1A = java.util.Set.of("inning", "outing", "canning", "herring",
            "earring", "proceed", "exceed", "succeed");

    private EnglishStemmer() {
    }

    /** The stem of a lower-case word. */
    public static String stem(String word) {
        if (word.length() <= 2) {
            return word;
        }
        String ex = EXCEPTIONS.get(word);
        if (ex != null) {
            return ex;
        }
        StringBuilder w = new StringBuilder(word.startsWith("'") ? word.substring(1) : word);
        if (w.length() > 0 && w.charAt(0) == 'y') {
            w.setCharAt(0, 'Y');
        }
        for (int i = 1; i < w.length(); i++) {
            if (w.charAt(i) == 'y' && isVowel(w.charAt(i - 1))) {
                w.setCharAt(i, 'Y');
            }
        }
        int r1 = r1(w);
        int r2 = region(w, r1);
        // Step 0
        if (!replaceSuffix(w, "'s'", "") && !replaceSuffix(w, "'s", "")) {
            replaceSuffix(w, "'", "");
        }
        // Step 1a
        if (ends(w, "sses")) {
            w.setLength(w.length() - 2);
        } else if (ends(w, "ied") || ends(w, "ies")) {
            w.setLength(w.length() - 3);
            w.append(w.length() > 1 ? "i" : "ie");
        } else if (ends(w, "us") || ends(w, "ss")) {
            // unchanged
        } else if (ends(w, "s")) {
            boolean vowelBefore = false;
            for (int i = 0; i < w.length() - 2; i++) {
                if (isVowel(w.charAt(i))) {
                    vowelBefore = true;
                    break;
                }
            }
            if (vowelBefore) {
                w.setLength(w.length() - 1);
            }
        }
        if (AFTER_1A.contains(w.toString())) {
            return w.toString();
        }
        step1b(w, r1);
        // Step 1c
        if (w.length() > 2 && (ends(w, "y") || ends(w, "Y")) && !isVowel(w.charAt(w.length() - 2))) {
            w.setCharAt(w.length() - 1, 'i');
        }
        step2(w, r1);
        step3(w, r1, r2);
        step4(w, r2);
        // Step 5
        if (ends(w, "e")) {
            int at = w.length() - 1;
            if (at >= r2 || (at >= r1 && !shortSyllableEndingAt(w, at - 1))) {
                w.setLength(at);
            }
        } else if (ends(w, "ll") && w.length() - 1 >= r2) {
            w.setLength(w.length() - 1);
        }
        return w.toString().replace('Y', 'y');
    }

    private static void step1b(StringBuilder w, int r1) {
        for (String s : new String[]{"eedly", "eed"}) {
            if (ends(w, s)) {
                if (w.length() - s.length() >= r1) {
                    w.setLength(w.length() - s.length());
                    w.append("ee");
                }
                return;
            }
        }
        for (String s : new String[]{"ingly", "edly", "ing", "ed"}) {
            if (ends(w, s)) {
                int stem = w.length() - s.length();
                boolean vowel = false;
                for (int i = 0; i < stem; i++) {
                    if (isVowel(w.charAt(i))) {
                        vowel = true;
                        break;
                    }
                }
                if (!vowel) {
                    return;
                }
                w.setLength(stem);
                if (ends(w, "at") || ends(w, "bl") || ends(w, "iz")) {
                    w.append('e');
                } else if (endsDouble(w)) {
                    w.setLength(w.length() - 1);
                } else if (isShort(w, r1(w))) {
                    w.append('e');
                }
                return;
            }
        }
    }

    private static final String[][] STEP2 = {
            {"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"}, {"anci", "ance"}, {"abli", "able"},
            {"entli", "ent"}, {"izer", "ize"}, {"ization", "ize"}, {"ation", "ate"}, {"ator", "ate"},
            {"alism", "al"}, {"aliti", "al"}, {"alli", "al"}, {"fulness", "ful"}, {"ousli", "ous"},
            {"ousness", "ous"}, {"iveness", "ive"}, {"iviti", "ive"}, {"biliti", "ble"}, {"bli", "ble"},
            {"ogi", "og"}, {"fulli", "ful"}, {"lessli", "less"}, {"li", ""}};

    private static void step2(StringBuilder w, int r1) {
        String[] best = longest(w, STEP2);
        if (best == null || w.length() - best[0].length() < r1) {
            return;
        }
        int stem = w.length() - best[0].length();
        if (best[0].equals("ogi")) {
            if (stem > 0 && w.charAt(stem - 1) == 'l') {
                w.setLength(stem);
                w.append("og");
            }
        } else if (best[0].equals("li")) {
            if (stem > 0 && "cdeghkmnrt".indexOf(w.charAt(stem - 1)) >= 0) {
                w.setLength(stem);
            }
        } else {
            w.setLength(stem);
            w.append(best[1]);
        }
    }

    private static final String[][] STEP3 = {
            {"ational", "ate"}, {"tional", "tion"}, {"alize", "al"}, {"icate", "ic"}, {"iciti", "ic"},
            {"ical", "ic"}, {"ful", ""}, {"ness", ""}, {"ative", ""}};

    private static void step3(StringBuilder w, int r1, int r2) {
        String[] best = longest(w, STEP3);
        if (best == null) {
            return;
        }
        int stem = w.length() - best[0].length();
        if (stem < r1) {
            return;
        }
        if (best[0].equals("ative") && stem < r2) {
            return;
        }
        w.setLength(stem);
        w.append(best[1]);
    }

    private static final String[][] STEP4 = {
            {"al", ""}, {"ance", ""}, {"ence", ""}, {"er", ""}, {"ic", ""}, {"able", ""}, {"ible", ""}, {"ant", ""},
            {"ement", ""}, {"ment", ""}, {"ent", ""}, {"ism", ""}, {"ate", ""}, {"iti", ""}, {"ous", ""}, {"ive", ""},
            {"ize", ""}, {"ion", ""}};

    private static void step4(StringBuilder w, int r2) {
        String[] best = longest(w, STEP4);
        if (best == null) {
            return;
        }
        int stem = w.length() - best[0].length();
        if (stem < r2) {
            return;
        }
        if (best[0].equals("ion") && !(stem > 0 && (w.charAt(stem - 1) == 's' || w.charAt(stem - 1) == 't'))) {
            return;
        }
        w.setLength(stem);
    }

    private static String[] longest(StringBuilder w, String[][] table) {
        String[] best = null;
        for (String[] e : table) {
            if (ends(w, e[0]) && (best == null || e[0].length() > best[0].length())) {
                best = e;
            }
        }
        return best;
    }

    private static boolean isVowel(char c) {
        return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
    }

    private static int r1(CharSequence w) {
        String s = w.toString();
        for (String p : new String[]{"gener", "commun", "arsen"}) {
            if (s.startsWith(p)) {
                return p.length();
            }
        }
        return region(w, 0);
    }

    /** Start of the region after the first non-vowel following a vowel, searching from {@code from}. */
    private static int region(CharSequence w, int from) {
        for (int i = from + 1; i < w.length(); i++) {
            if (!isVowel(w.charAt(i)) && isVowel(w.charAt(i - 1))) {
                return i + 1;
            }
        }
        return w.length();
    }

    /** Whether the letters ending at {@code i} (inclusive) form a short syllable. */
    private static boolean shortSyllableEndingAt(CharSequence w, int i) {
        if (i < 1) {
            return false;
        }
        char last = w.charAt(i);
        char mid = w.charAt(i - 1);
        if (i == 1) {
            return isVowel(mid) && !isVowel(last);
        }
        char first = w.charAt(i - 2);
        return !isVowel(first) && isVowel(mid) && !isVowel(last) && last != 'w' && last != 'x' && last != 'Y';
    }

    private static boolean isShort(CharSequence w, int r1) {
        return r1 >= w.length() && shortSyllableEndingAt(w, w.length() - 1);
    }

    private static boolean endsDouble(CharSequence w) {
        int n = w.length();
        if (n < 2) {
            return false;
        }
        char c = w.charAt(n - 1);
        return c == w.charAt(n - 2) && "bdfgmnprt".indexOf(c) >= 0;
    }

    private static boolean ends(CharSequence w, String s) {
        int n = w.length();
        int m = s.length();
        if (m > n) {
            return false;
        }
        for (int i = 0; i < m; i++) {
            if (w.charAt(n - m + i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean replaceSuffix(StringBuilder w, String suffix, String by) {
        if (ends(w, suffix)) {
            w.setLength(w.length() - suffix.length());
            w.append(by);
            return true;
        }
        return false;
    }
}
