package dev.soi.core.sql;

import static dev.soi.core.sql.SqlTemplates.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlTemplatesTest {
    @TempDir
    Path dir;
    SqlTemplates templates;

    @BeforeEach
    void writeTemplates() throws Exception {
        Files.createDirectories(dir.resolve("sql/t"));
        Files.writeString(dir.resolve("sql/t/select.sql"), "-- documentation line\nSELECT a FROM ${db}.${table} WHERE b = ? AND c = '?';\n");
        Files.writeString(dir.resolve("sql/t/loc.sql"), "LOCATION '${location}' VALUE ${value}");
        Files.writeString(dir.resolve("sql/t/broken.sql"), "SELECT ${Bad-Token}");
        Files.writeString(dir.resolve("sql/t/list.sql"), "ADD ${parts}");
        templates = new SqlTemplates("sql", new URLClassLoader(new URL[] {dir.toUri().toURL()}, null));
    }

    @Test
    void rendersIdentifiersStripsCommentsAndTrailingSemicolon() {
        Statement s = templates.render("t/select", tokens("db", SqlToken.identifier("df_trusted_dev"),
                "table", SqlToken.identifier("security_of_interest_pit")), "AE");
        assertThat(s.sql()).isEqualTo("SELECT a FROM df_trusted_dev.security_of_interest_pit WHERE b = ? AND c = '?'");
        assertThat(s.template()).isEqualTo("t/select");
        assertThat(s.parameters()).containsExactly("AE");
        assertThat(s.tokenText("db")).isEqualTo("df_trusted_dev");
    }

    @Test
    void failsOnUnresolvedToken() {
        assertThatThrownBy(() -> templates.render("t/select", tokens("db", SqlToken.identifier("x")), "AE"))
                .hasMessageStartingWith("template t/select needs token ${table}, which was not given");
    }

    @Test
    void failsOnUnusedToken() {
        assertThatThrownBy(() -> templates.render("t/select", tokens("db", SqlToken.identifier("x"),
                "table", SqlToken.identifier("y"), "extra", SqlToken.identifier("z")), "AE"))
                .hasMessage("template t/select does not use tokens [extra]");
    }

    @Test
    void failsOnParameterCountMismatch() {
        assertThatThrownBy(() -> templates.render("t/select", tokens("db", SqlToken.identifier("x"), "table", SqlToken.identifier("y"))))
                .hasMessage("template t/select has 1 ? placeholders but 0 parameters were given");
    }

    @Test
    void failsOnMalformedTokenAndMissingTemplate() {
        assertThatThrownBy(() -> templates.render("t/broken", Map.of())).hasMessageContaining("malformed ${...} token");
        assertThatThrownBy(() -> templates.render("t/none", Map.of())).hasMessage("no SQL template sql/t/none.sql on the class path");
        assertThatThrownBy(() -> templates.render("../etc", Map.of())).hasMessageContaining("template name must be");
    }

    @Test
    void identifiersAreValidated() {
        assertThatThrownBy(() -> SqlToken.identifier("Robert'); DROP TABLE students;--"))
                .hasMessageStartingWith("identifier must match [a-z_][a-z0-9_]*");
        assertThatThrownBy(() -> SqlToken.identifier("a.b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqlToken.identifier("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void locationsAreValidated() {
        assertThat(SqlToken.location("s3://my-bucket/prefix/security_of_interest_pit/business_unit=AE/").render())
                .isEqualTo("s3://my-bucket/prefix/security_of_interest_pit/business_unit=AE/");
        assertThat(SqlToken.location("/var/data/x/").render()).isEqualTo("/var/data/x/");
        assertThatThrownBy(() -> SqlToken.location("s3://b/x' OR '1")).hasMessageContaining("location must be");
        assertThatThrownBy(() -> SqlToken.location("relative/path")).hasMessageContaining("location must be");
        assertThatThrownBy(() -> SqlToken.location("/a/../b")).hasMessageContaining("location must be");
    }

    @Test
    void literalsAreEscapedByOneFunction() {
        Statement s = templates.render("t/loc", tokens("location", SqlToken.location("/d/"), "value", SqlToken.literal("it's")));
        assertThat(s.sql()).isEqualTo("LOCATION '/d/' VALUE 'it''s'");
        assertThat(SqlLiterals.quote("")).isEqualTo("''");
        assertThat(SqlLiterals.quote("''")).isEqualTo("''''''");
        assertThatThrownBy(() -> SqlLiterals.quote("a\nb")).hasMessage("SQL literal must not contain control character U+000A");
    }

    @Test
    void fragmentsJoinRenderedParts() {
        Statement one = templates.render("t/loc", tokens("location", SqlToken.location("/a/"), "value", SqlToken.literal("1")));
        Statement two = templates.render("t/loc", tokens("location", SqlToken.location("/b/"), "value", SqlToken.literal("2")));
        Statement s = templates.render("t/list", tokens("parts", SqlToken.fragment(List.of(one, two), "\n")));
        assertThat(s.sql()).isEqualTo("ADD LOCATION '/a/' VALUE '1'\nLOCATION '/b/' VALUE '2'");
        assertThatThrownBy(() -> SqlToken.fragment(List.of(), "\n")).hasMessage("a fragment needs at least one part");
        assertThatThrownBy(() -> SqlToken.fragment(List.of(one), "; DROP")).hasMessageContaining("separator");
    }

    @Test
    void placeholdersInsideLiteralsAndCommentsDoNotCount() {
        assertThat(SqlTemplates.countPlaceholders("a = ? and b = '?' and \"c?\" = ? -- ?\n and d = ?")).isEqualTo(3);
    }
}
