package org.adamix4j.eval.nlg.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The tokenisation of NIST {@code mteval-v13a.pl} (its {@code tokenization} routine, the non-international one),
 * which the E2E scorer's BLEU and NIST use.
 *
 * <p>Steps, in mteval's order: drop {@code <skipped>}; join end-of-line hyphenation and lines; unescape
 * {@code &quot; &amp; &lt; &gt;}; lower-case ASCII letters only (mteval's {@code tr/[A-Z]/[a-z]/}; non-ASCII letters
 * keep their case, as in the Perl script on byte strings) unless case is preserved; put spaces around the punctuation
 * class {@code [{-~[-` -&(-+:-@/]}; split {@code .} and {@code ,} unless between digits; split {@code -} after a digit;
 * squeeze white space. The E2E scorer writes its SGML files with those four entities escaped, so unescaping here is
 * exactly what mteval sees for raw text.
 */
public final class MtevalTokenizer {
    private static final Pattern PUNCT = Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])");
    private static final Pattern PERIOD_COMMA_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([\\.,])");
    private static final Pattern PERIOD_COMMA_BEFORE_NON_DIGIT = Pattern.compile("([\\.,])([^0-9])");
    private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private MtevalTokenizer() {
    }

    /** Tokenises one segment, lower-cased (the E2E scorer's setting). */
    public static List<String> tokenize(String text) {
        return tokenize(text, false);
    }

    /** Tokenises one segment; {@code preserveCase} is mteval's {@code -c} flag. */
    public static List<String> tokenize(String text, boolean preserveCase) {
        String s = text.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
                .replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        s = " " + s + " ";
        if (!preserveCase) {
            s = asciiLower(s);
        }
        s = PUNCT.matcher(s).replaceAll(" $1 ");
        s = PERIOD_COMMA_AFTER_NON_DIGIT.matcher(s).replaceAll("$1 $2 ");
        s = PERIOD_COMMA_BEFORE_NON_DIGIT.matcher(s).replaceAll(" $1 $2");
        s = DASH_AFTER_DIGIT.matcher(s).replaceAll("$1 $2 ");
        // mteval trims ASCII white space only (Perl \s on byte strings); after squeezing that is one space per end.
        s = SPACES.matcher(s).replaceAll(" ");
        int from = s.startsWith(" ") ? 1 : 0;
        int to = s.endsWith(" ") && s.length() > from ? s.length() - 1 : s.length();
        s = s.substring(from, Math.max(from, to));
        List<String> out = new ArrayList<>();
        if (s.isEmpty()) {
            return out;
        }
        for (String t : s.split(" ")) {
            out.add(t);
        }
        return out;
    }

    static String asciiLower(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] >= 'A' && c[i] <= 'Z') {
                c[i] = (char) (c[i] + ('a' - 'A'));
            }
        }
        return new String(c);
    }
}
