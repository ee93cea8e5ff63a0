import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * The hottest methods of a Keycloak JFR recording, per benchmark scenario: reads the recording and the
 * windows file a benchmark writes (name, from, to in epoch milliseconds, tab-separated) and prints, for each
 * scenario whose name contains the filter, the methods that most often ran on top of the stack (self time)
 * and the project or Keycloak methods most often found anywhere on it (total time).
 *
 * <pre>
 * ./mvnw verify -Pbenchmark -Dbench.only=mail \
 *     -Dit.java.opts="-XX:StartFlightRecording=filename=$PWD/target/keycloak.jfr,settings=profile"
 * java scripts/JfrTop.java target/keycloak.jfr target/benchmark-mail-windows.tsv "4 conn." 12
 * </pre>
 *
 * The recording is written when Keycloak stops, at the end of the run.
 */
public class JfrTop {

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java scripts/JfrTop.java <recording.jfr> <windows.tsv> [name filter] [top N]");
            System.exit(2);
        }
        List<String[]> windows = Files.readAllLines(Path.of(args[1])).stream()
                .filter(line -> !line.isBlank()).map(line -> line.split("\t")).toList();
        String filter = args.length > 2 ? args[2] : "";
        int top = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        List<RecordedEvent> samples = RecordingFile.readAllEvents(Path.of(args[0])).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.ExecutionSample") && e.getStackTrace() != null).toList();
        for (String[] window : windows) {
            if (!window[0].contains(filter)) {
                continue;
            }
            Instant from = Instant.ofEpochMilli(Long.parseLong(window[1]));
            Instant to = Instant.ofEpochMilli(Long.parseLong(window[2]));
            Map<String, Integer> self = new HashMap<>();
            Map<String, Integer> total = new HashMap<>();
            int count = 0;
            for (RecordedEvent sample : samples) {
                if (sample.getStartTime().isBefore(from) || sample.getStartTime().isAfter(to)) {
                    continue;
                }
                count++;
                List<RecordedFrame> frames = sample.getStackTrace().getFrames();
                self.merge(name(frames.get(0)), 1, Integer::sum);
                frames.stream().map(JfrTop::name).filter(n -> n.startsWith("dev.apppasswords") || n.startsWith("org.keycloak"))
                        .distinct().forEach(n -> total.merge(n, 1, Integer::sum));
            }
            System.out.printf("%n## %s: %d samples%n%nself:%n", window[0], count);
            print(self, count, top);
            System.out.printf("%ntotal (project and Keycloak methods on the stack):%n");
            print(total, count, top);
        }
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void print(Map<String, Integer> counts, int samples, int top) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("| %5.1f %% | %s |%n", 100.0 * e.getValue() / Math.max(1, samples), e.getKey()));
    }
}
