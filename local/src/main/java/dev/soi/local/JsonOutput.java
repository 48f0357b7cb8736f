package dev.soi.local;

import java.io.PrintStream;
import picocli.CommandLine.Option;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The {@code --json} flag every command shares, and how a command prints: a sentence, then the JSON. */
final class JsonOutput {
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Option(names = "--json", description = "print only the JSON (for scripts), without the sentence before it")
    boolean json;

    void print(PrintStream out, String sentence, Object document) {
        if (!json) {
            out.println(sentence);
        }
        out.println(document instanceof String text ? text : JSON.writeValueAsString(document));
    }

    static String write(Object document) {
        return JSON.writeValueAsString(document);
    }
}
