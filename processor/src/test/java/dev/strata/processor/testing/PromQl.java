package dev.strata.processor.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the series a PromQL expression selects: every vector selector's metric name, the label
 * names it matches on, and the functions it is nested in (outermost first). Enough of PromQL is
 * tokenized to tell a metric name from a function, an aggregation, a keyword, a label name in a
 * matcher or grouping, a string, a number or a duration; an unknown function or a Grafana
 * variable it does not know fails loudly rather than being mistaken for a metric.
 */
public final class PromQl {

    /** A vector selector: {@code name{labels...}} inside {@code functions}, outermost first. */
    public record Selector(String metric, Set<String> labels, List<String> functions) {
    }

    private static final Set<String> AGGREGATIONS = Set.of("sum", "avg", "min", "max", "count", "group",
            "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values", "limitk", "limit_ratio");
    private static final Set<String> FUNCTIONS = Set.of("abs", "absent", "absent_over_time", "ceil", "changes",
            "clamp", "clamp_max", "clamp_min", "day_of_month", "day_of_week", "day_of_year", "days_in_month",
            "delta", "deriv", "exp", "floor", "histogram_avg", "histogram_count", "histogram_fraction",
            "histogram_quantile", "histogram_stddev", "histogram_stdvar", "histogram_sum", "holt_winters",
            "double_exponential_smoothing", "hour", "idelta", "increase", "irate", "label_join", "label_replace",
            "ln", "log2", "log10", "minute", "month", "predict_linear", "rate", "resets", "round", "scalar", "sgn",
            "sort", "sort_desc", "sort_by_label", "sort_by_label_desc", "sqrt", "time", "timestamp", "vector",
            "year", "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time",
            "quantile_over_time", "stddev_over_time", "stdvar_over_time", "last_over_time", "present_over_time",
            "mad_over_time", "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan",
            "tanh", "deg", "rad", "pi");
    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf",
            "nan");
    /** Grafana's interval variables stand for a duration. */
    private static final Pattern GRAFANA_INTERVAL = Pattern.compile("\\$__(rate_interval|interval|range)\\b");
    private static final Pattern GRAFANA_LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*(\\w+)\\s*\\)\\s*$",
            Pattern.DOTALL);

    private enum Kind { IDENT, STRING, NUMBER, PUNCT }

    private record Token(Kind kind, String text) {
    }

    private PromQl() {
    }

    /**
     * The selectors of a Grafana query: PromQL, or a template variable's
     * {@code label_values(selector, label)}.
     */
    public static List<Selector> grafanaSelectors(String query) {
        Matcher labelValues = GRAFANA_LABEL_VALUES.matcher(query);
        if (labelValues.matches()) {
            return selectors(labelValues.group(1));
        }
        return selectors(query);
    }

    /** @throws IllegalArgumentException the expression uses something this reader does not know */
    public static List<Selector> selectors(String expr) {
        List<Token> tokens = tokenize(GRAFANA_INTERVAL.matcher(expr).replaceAll("5m"));
        List<Selector> found = new ArrayList<>();
        // The function (or "" for plain grouping) each open parenthesis belongs to.
        Deque<String> open = new ArrayDeque<>();
        String pendingAggregation = null;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            if (t.kind() == Kind.PUNCT) {
                switch (t.text()) {
                    case "(" -> {
                        open.push(pendingAggregation == null ? "" : pendingAggregation);
                        pendingAggregation = null;
                    }
                    case ")" -> {
                        if (open.isEmpty()) {
                            throw new IllegalArgumentException("unbalanced ')' in " + expr);
                        }
                        open.pop();
                    }
                    case "[" -> i = skipPast(tokens, i, "[", "]", expr);
                    case "{" -> {
                        // A selector by __name__ alone: {__name__="x"}.
                        Set<String> labels = new LinkedHashSet<>();
                        String name = null;
                        int end = matchers(tokens, i, labels, expr);
                        for (int j = i + 1; j < end; j++) {
                            if (tokens.get(j).text().equals("__name__") && tokens.get(j + 1).text().equals("=")) {
                                name = unquote(tokens.get(j + 2).text());
                            }
                        }
                        if (name == null) {
                            throw new IllegalArgumentException("selector without a metric name in " + expr);
                        }
                        labels.remove("__name__");
                        found.add(new Selector(name, labels, functions(open)));
                        i = end;
                    }
                    default -> {
                        // Operators and commas carry no names.
                    }
                }
                continue;
            }
            if (t.kind() != Kind.IDENT) {
                continue;
            }
            String word = t.text();
            boolean call = next != null && next.text().equals("(");
            if (GROUPING.contains(word)) {
                if (call) {
                    i = skipPast(tokens, i + 1, "(", ")", expr);
                }
            } else if (KEYWORDS.contains(word)) {
                if (word.equals("offset") && next != null) {
                    i++;
                }
            } else if (AGGREGATIONS.contains(word) && (call || next != null && GROUPING.contains(next.text()))) {
                pendingAggregation = word;
            } else if (call) {
                if (!FUNCTIONS.contains(word)) {
                    throw new IllegalArgumentException("unknown PromQL function " + word + " in " + expr);
                }
                pendingAggregation = word;
            } else {
                Set<String> labels = new LinkedHashSet<>();
                if (next != null && next.text().equals("{")) {
                    i = matchers(tokens, i + 1, labels, expr);
                }
                found.add(new Selector(word, labels, functions(open)));
            }
        }
        if (!open.isEmpty()) {
            throw new IllegalArgumentException("unbalanced '(' in " + expr);
        }
        return found;
    }

    private static List<String> functions(Deque<String> open) {
        List<String> outerFirst = new ArrayList<>();
        open.descendingIterator().forEachRemaining(f -> {
            if (!f.isEmpty()) {
                outerFirst.add(f);
            }
        });
        return outerFirst;
    }

    /** Reads {@code { name op "value", ... }} from {@code tokens[start]}; returns the index of '}'. */
    private static int matchers(List<Token> tokens, int start, Set<String> labels, String expr) {
        int i = start + 1;
        while (i < tokens.size() && !tokens.get(i).text().equals("}")) {
            Token name = tokens.get(i);
            if (name.kind() == Kind.PUNCT && name.text().equals(",")) {
                i++;
                continue;
            }
            if (name.kind() != Kind.IDENT || i + 2 >= tokens.size()
                    || !Set.of("=", "!=", "=~", "!~").contains(tokens.get(i + 1).text())
                    || tokens.get(i + 2).kind() != Kind.STRING) {
                throw new IllegalArgumentException("malformed label matcher at '" + name.text() + "' in " + expr);
            }
            labels.add(name.text());
            i += 3;
        }
        if (i >= tokens.size()) {
            throw new IllegalArgumentException("unterminated '{' in " + expr);
        }
        return i;
    }

    private static int skipPast(List<Token> tokens, int start, String opening, String closing, String expr) {
        int depth = 0;
        for (int i = start; i < tokens.size(); i++) {
            String text = tokens.get(i).text();
            if (tokens.get(i).kind() == Kind.PUNCT && text.equals(opening)) {
                depth++;
            } else if (tokens.get(i).kind() == Kind.PUNCT && text.equals(closing) && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unterminated '" + opening + "' in " + expr);
    }

    private static String unquote(String literal) {
        return literal.substring(1, literal.length() - 1);
    }

    private static List<Token> tokenize(String expr) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = expr.length();
        while (i < n) {
            char c = expr.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < n && expr.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"' || c == '\'' || c == '`') {
                int j = i + 1;
                while (j < n && expr.charAt(j) != c) {
                    j += expr.charAt(j) == '\\' && c != '`' ? 2 : 1;
                }
                if (j >= n) {
                    throw new IllegalArgumentException("unterminated string in " + expr);
                }
                tokens.add(new Token(Kind.STRING, expr.substring(i, j + 1)));
                i = j + 1;
            } else if (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1))) {
                // Numbers and durations (5m, 1h30m, 1e3, 0x1f): digits, letters and dots together.
                int j = i;
                while (j < n && (Character.isLetterOrDigit(expr.charAt(j)) || expr.charAt(j) == '.'
                        || (expr.charAt(j) == '+' || expr.charAt(j) == '-')
                        && (expr.charAt(j - 1) == 'e' || expr.charAt(j - 1) == 'E'))) {
                    j++;
                }
                tokens.add(new Token(Kind.NUMBER, expr.substring(i, j)));
                i = j;
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(expr.charAt(j)) || expr.charAt(j) == '_'
                        || expr.charAt(j) == ':')) {
                    j++;
                }
                tokens.add(new Token(Kind.IDENT, expr.substring(i, j)));
                i = j;
            } else if (c == '$') {
                throw new IllegalArgumentException("unknown Grafana variable at '" + expr.substring(i) + "'");
            } else {
                String two = i + 1 < n ? expr.substring(i, i + 2) : "";
                if (Set.of("==", "!=", "<=", ">=", "=~", "!~").contains(two)) {
                    tokens.add(new Token(Kind.PUNCT, two));
                    i += 2;
                } else if ("(){}[],+-*/%^<>=@".indexOf(c) >= 0) {
                    tokens.add(new Token(Kind.PUNCT, String.valueOf(c)));
                    i++;
                } else {
                    throw new IllegalArgumentException("unexpected '" + c + "' in " + expr);
                }
            }
        }
        return tokens;
    }
}
