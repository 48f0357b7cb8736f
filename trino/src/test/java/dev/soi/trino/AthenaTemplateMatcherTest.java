package dev.soi.trino;

import static dev.soi.core.sql.SqlTemplates.tokens;
import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.SqlToken;
import dev.soi.core.sql.Statement;
import dev.soi.core.sql.TableStatements;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The way back from an Athena statement's text to its template and tokens, on every athena template. */
class AthenaTemplateMatcherTest {
    private static final SqlTemplates SQL = new SqlTemplates();
    private static final AthenaTemplateMatcher MATCHER = AthenaTemplateMatcher.ofClasspath(SQL);

    static Stream<String> athenaTemplates() {
        return AthenaTemplateMatcher.templatesIn("athena").stream();
    }

    @Test
    void listsEveryAthenaTemplate() {
        assertThat(AthenaTemplateMatcher.templatesIn("athena"))
                .contains("athena/add_partitions", "athena/create_latest_unit_ctas", "athena/swap_latest", "athena/partition_spec")
                .hasSize(22);
    }

    @ParameterizedTest
    @MethodSource("athenaTemplates")
    void renderedTemplateMatchesBackToTheSameTemplateAndTokens(String template) {
        Statement rendered = render(template);

        Optional<Statement> matched = MATCHER.match(rendered.sql(), rendered.parameters());

        assertThat(matched).as("match of %s", rendered.sql()).isPresent();
        assertThat(matched.get().template()).isEqualTo(template);
        assertThat(comparable(matched.get().tokens())).isEqualTo(comparable(rendered.tokens()));
        assertThat(matched.get().parameters()).isEqualTo(rendered.parameters());
        assertThat(matched.get().sql()).isEqualTo(rendered.sql());
    }

    @Test
    void statementsTheBatchRendersMatchTheirTemplates() {
        TableStatements statements = new TableStatements(SQL, "df_trusted_test", key -> "s3://soi-data-test/soi/" + key);
        PitPartition ae = new PitPartition(BusinessUnit.of("AE"), LocalDate.of(2024, 5, 16));
        PitPartition cmf = new PitPartition(BusinessUnit.of("CMF"), LocalDate.of(2024, 5, 17));
        List<Statement> all = new ArrayList<>(List.of(statements.createDatabase(), statements.createPitTable(),
                statements.createLatestTable("security_of_interest_latest/version=r0/", List.of(BusinessUnit.of("AE"), BusinessUnit.of("CMF"))),
                statements.createLatestCandidate("staging_r1", "security_of_interest_latest/version=r1/", List.of(BusinessUnit.of("AE"))),
                statements.createLatestUnit("staging_r1_ae", "security_of_interest_latest/version=r1/business_unit=AE/",
                        statements.latestUnitFromPit(BusinessUnit.of("AE"))),
                statements.createLatestUnit("staging_r2_ae", "security_of_interest_latest/version=r2/business_unit=AE/",
                        statements.latestUnitIncremental(BusinessUnit.of("AE"), LocalDate.of(2024, 5, 16), new dev.soi.core.domain.RunId("20240516t100000z-0000abcd"))),
                statements.createLatestUnit("staging_r2_cmf", "security_of_interest_latest/version=r2/business_unit=CMF/",
                        statements.latestUnitCopy(BusinessUnit.of("CMF"))),
                statements.swapLatest("security_of_interest_latest/version=r2/", List.of(BusinessUnit.of("AE"), BusinessUnit.of("CMF"))),
                statements.pitUnits(), statements.dropLatestTable(),
                statements.setPartitionLocation(ae, "compacted/x/"), statements.partitionRows(cmf), statements.countExpectedLatest(),
                statements.compactPartition("security_of_interest_pit_cmp_r1", cmf, "security_of_interest_pit/compacted/r1/", 2)));
        all.addAll(statements.addPartitions(List.of(ae, cmf)));
        for (Statement statement : all) {
            Statement matched = MATCHER.match(statement.sql(), statement.parameters()).orElseThrow();
            assertThat(matched.template()).isEqualTo(statement.template());
            assertThat(comparable(matched.tokens())).isEqualTo(comparable(statement.tokens()));
        }
    }

    @Test
    void partitionsOfAnAddPartitionsAreRecoveredOneByOne() {
        Statement add = render("athena/add_partitions");

        SqlToken.Fragment partitions = (SqlToken.Fragment) MATCHER.match(add.sql(), List.of()).orElseThrow().token("partitions");

        assertThat(partitions.parts()).extracting(Statement::template).containsExactly("athena/partition_spec", "athena/partition_spec");
        assertThat(partitions.parts().get(1).token("business_unit")).isEqualTo(SqlToken.literal("O'Neil"));
        assertThat(partitions.separator()).isEqualTo("\n");
    }

    @Test
    void textNoTemplateFitsIsNotMatched() {
        assertThat(MATCHER.match("SELECT 1", List.of())).isEmpty();
        assertThat(MATCHER.match(render("athena/pit_units").sql() + " LIMIT 1", List.of())).isEmpty();
        // An identifier token must be an identifier: a dotted name is not one.
        assertThat(MATCHER.match("DROP TABLE IF EXISTS df_trusted_test.a.b", List.of())).isEmpty();
    }

    /** A sample for every token name the athena templates use; a new name fails here until it has one. */
    private static Statement render(String template) {
        Map<String, SqlToken> tokens = new LinkedHashMap<>();
        for (String token : SQL.tokensOf(template)) {
            tokens.put(token, sample(token));
        }
        int placeholders = (int) SQL.source(template).chars().filter(c -> c == '?').count();
        Object[] parameters = new Object[placeholders];
        for (int i = 0; i < placeholders; i++) {
            parameters[i] = i % 2 == 0 ? "AE" : "2024-05-16";
        }
        return SQL.render(template, tokens, parameters);
    }

    private static SqlToken sample(String token) {
        return switch (token) {
            case "database" -> SqlToken.identifier("df_trusted_test");
            case "staging_table" -> SqlToken.identifier("security_of_interest_latest_staging_r1");
            case "compaction_table" -> SqlToken.identifier("compaction_ae_20240516");
            case "location" -> SqlToken.location("s3://soi-data-test/soi/security_of_interest_pit/business_unit=AE/");
            case "business_unit" -> SqlToken.literal("AE");
            case "request_date" -> SqlToken.literal("2024-05-16");
            case "bucket_count" -> SqlToken.count(3);
            case "table" -> SqlToken.identifier("security_of_interest_latest");
            case "units" -> SqlToken.literal("AE,CMF");
            case "location_template" -> SqlToken.locationTemplate("s3://soi-data-test/soi/security_of_interest_latest/version=r1/", "business_unit");
            case "window_start" -> SqlToken.literal("2024-05-16");
            case "since_run" -> SqlToken.literal("20240516t101500z-1a2b3c4d");
            case "select" -> SqlToken.fragment(List.of(SQL.render("common/latest_unit_incremental", tokens(
                    "database", SqlToken.identifier("df_trusted_test"), "business_unit", SqlToken.literal("AE"),
                    "window_start", SqlToken.literal("2024-05-16"), "since_run", SqlToken.literal("r-1")))), "");
            case "partitions" -> SqlToken.fragment(List.of(
                    SQL.render("athena/partition_spec", tokens("business_unit", SqlToken.literal("AE"),
                            "request_date", SqlToken.literal("2024-05-16"),
                            "location", SqlToken.location("s3://soi-data-test/soi/security_of_interest_pit/business_unit=AE/request_date=2024-05-16/"))),
                    SQL.render("athena/partition_spec", tokens("business_unit", SqlToken.literal("O'Neil"),
                            "request_date", SqlToken.literal("2024-05-17"),
                            "location", SqlToken.location("s3://soi-data-test/soi/security_of_interest_pit/business_unit=O/request_date=2024-05-17/")))),
                    "\n");
            default -> throw new AssertionError("no sample for token ${" + token + "}: add one");
        };
    }

    /**
     * Tokens as far as the text shows them: a fragment by its parts and its text (a one-part fragment's separator
     * never reaches the text), every other token as it is.
     */
    private static Map<String, Object> comparable(Map<String, SqlToken> tokens) {
        Map<String, Object> out = new LinkedHashMap<>();
        tokens.forEach((name, token) -> out.put(name, token instanceof SqlToken.Fragment f
                ? List.of(f.parts().stream().map(p -> List.of(p.template(), p.sql(), comparable(p.tokens()))).toList(), f.render())
                : token));
        return Collections.unmodifiableMap(new java.util.TreeMap<>(out));
    }
}
