import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Prints where a test run's time went, from the Surefire and Failsafe XML reports under every module's target/:
 * each lane's classes, test methods and summed time, then the slowest test classes. CI runs it after `mvn verify`
 * (a single-file program: `java .ci/TestTimes.java [root] [how many]`), so every run's log ends with the figures
 * the CI budget in docs/development.md is checked against.
 */
public class TestTimes {
    record Suite(String lane, String module, String name, int tests, int failures, int errors, int skipped, double seconds) {
    }

    // The report's root element; its attributes come in no fixed order, so each is read on its own.
    private static final Pattern SUITE = Pattern.compile("<testsuite\\b([^>]*)>");

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        int most = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        List<Suite> suites = new ArrayList<>();
        try (Stream<Path> files = Files.find(root, 5, (p, a) -> a.isRegularFile()
                && p.getFileName().toString().startsWith("TEST-") && p.getFileName().toString().endsWith(".xml")
                && p.getParent() != null && p.getParent().getFileName().toString().matches("(surefire|failsafe)-reports"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Suite s = read(root, file);
                if (s != null) suites.add(s);
            }
        }
        if (suites.isEmpty()) {
            System.out.println("[test-times] no Surefire or Failsafe reports under " + root.toAbsolutePath());
            return;
        }
        System.out.println();
        System.out.println("[test-times] ---- where the test time went ----");
        for (String lane : List.of("fast lane (surefire)", "integration lane (failsafe)")) {
            List<Suite> in = suites.stream().filter(s -> s.lane().equals(lane)).toList();
            System.out.printf(Locale.ROOT, "[test-times] %-28s %4d classes %5d tests %4d failed %4d skipped %8.1f s%n", lane,
                    in.size(), in.stream().mapToInt(Suite::tests).sum(),
                    in.stream().mapToInt(s -> s.failures() + s.errors()).sum(), in.stream().mapToInt(Suite::skipped).sum(),
                    in.stream().mapToDouble(Suite::seconds).sum());
        }
        System.out.printf(Locale.ROOT, "[test-times] %-28s %4d classes %5d tests %21s %8.1f s (summed class times; the wall time is Maven's)%n",
                "total", suites.size(), suites.stream().mapToInt(Suite::tests).sum(), "",
                suites.stream().mapToDouble(Suite::seconds).sum());
        System.out.println("[test-times] the " + Math.min(most, suites.size()) + " slowest test classes:");
        suites.stream().sorted(Comparator.comparingDouble(Suite::seconds).reversed()).limit(most).forEach(s ->
                System.out.printf(Locale.ROOT, "[test-times] %8.1f s %4d tests  %-12s %-11s %s%n", s.seconds(), s.tests(),
                        s.module(), s.lane().startsWith("fast") ? "fast" : "integration", s.name()));
    }

    private static Suite read(Path root, Path file) throws IOException {
        String head;
        try (var reader = Files.newBufferedReader(file)) {
            char[] buffer = new char[8192];
            int n = reader.read(buffer);
            head = n < 0 ? "" : new String(buffer, 0, n);
        }
        Matcher m = SUITE.matcher(head);
        if (!m.find()) return null;
        String attributes = m.group(1);
        String lane = file.getParent().getFileName().toString().startsWith("failsafe")
                ? "integration lane (failsafe)" : "fast lane (surefire)";
        // <module>/target/<lane>-reports/TEST-x.xml
        Path relative = root.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize());
        String module = relative.getNameCount() >= 4 ? relative.getName(relative.getNameCount() - 4).toString() : ".";
        String name = attribute(attributes, "name");
        return new Suite(lane, module, name.substring(name.lastIndexOf('.') + 1), integer(attributes, "tests"),
                integer(attributes, "failures"), integer(attributes, "errors"), integer(attributes, "skipped"),
                decimal(attributes, "time"));
    }

    private static String attribute(String attributes, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=\"([^\"]*)\"").matcher(attributes);
        return m.find() ? m.group(1) : "";
    }

    private static int integer(String attributes, String name) {
        String v = attribute(attributes, name);
        return v.isEmpty() ? 0 : Integer.parseInt(v);
    }

    private static double decimal(String attributes, String name) {
        String v = attribute(attributes, name).replace(",", "");
        return v.isEmpty() ? 0 : Double.parseDouble(v);
    }
}
