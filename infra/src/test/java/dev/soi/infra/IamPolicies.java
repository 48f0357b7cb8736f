package dev.soi.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Allow statements of the IAM roles in {@code template.yaml}, resolved for one set of names, so a test can
 * ask whether a role allows an action on a concrete ARN. Used by the AWS-mode end-to-end test, which records
 * every AWS operation the API and the batch call and asks this for each one: a permission the code needs but the
 * template lacks fails that test instead of a deployment.
 *
 * <p>What it models: {@code Action} and {@code Resource} lists with {@code *} and {@code ?} wildcards,
 * {@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub} (both forms), and {@code Fn::If} (by the given true conditions).
 * What it ignores, on purpose: {@code Condition} blocks (the checked calls are the unconditional ones), managed
 * policies and Deny statements (the template's roles have none that the application needs).
 */
public final class IamPolicies {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    private final Map<String, Object> resources;
    private final Map<String, String> names;
    private final Set<String> trueConditions;

    /**
     * @param names          what each {@code Ref} / {@code ${Name}} and each {@code Logical.Attribute} resolves to
     *                       (parameters, resource names and ARNs, pseudo parameters such as {@code AWS::Region})
     * @param trueConditions the template conditions that hold; the others are false
     */
    @SuppressWarnings("unchecked")
    public IamPolicies(Path template, Map<String, String> names, Set<String> trueConditions) throws IOException {
        Map<String, Object> document = CloudFormationYaml.load(Files.readString(template));
        this.resources = (Map<String, Object>) document.get("Resources");
        this.names = Map.copyOf(names);
        this.trueConditions = Set.copyOf(trueConditions);
    }

    /** Empty when {@code role} has an Allow statement for {@code action} on {@code arn}; else why not. */
    @SuppressWarnings("unchecked")
    public Optional<String> whyDenied(String role, String action, String arn) {
        Map<String, Object> resource = (Map<String, Object>) resources.get(role);
        if (resource == null) {
            return Optional.of("template.yaml has no resource " + role);
        }
        Map<String, Object> properties = (Map<String, Object>) resource.get("Properties");
        for (Object policy : (List<Object>) properties.getOrDefault("Policies", List.of())) {
            Map<String, Object> document = (Map<String, Object>) ((Map<String, Object>) policy).get("PolicyDocument");
            for (Object s : (List<Object>) document.get("Statement")) {
                Map<String, Object> statement = (Map<String, Object>) s;
                if (!"Allow".equals(statement.get("Effect"))) {
                    continue;
                }
                boolean actionMatches = strings(statement.get("Action")).stream().anyMatch(a -> glob(a).matcher(action).matches());
                boolean resourceMatches = strings(statement.get("Resource")).stream().map(this::resolve)
                        .anyMatch(r -> glob(r).matcher(arn).matches());
                if (actionMatches && resourceMatches) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(role + " has no statement allowing " + action + " on " + arn);
    }

    private static List<Object> strings(Object value) {
        return value instanceof List<?> list ? new ArrayList<>(list) : List.of(value);
    }

    @SuppressWarnings("unchecked")
    private String resolve(Object value) {
        if (value instanceof String text) {
            return text;
        }
        Map<String, Object> function = (Map<String, Object>) value;
        if (function.containsKey("Ref")) {
            return name((String) function.get("Ref"));
        }
        if (function.containsKey("Fn::GetAtt")) {
            List<Object> parts = (List<Object>) function.get("Fn::GetAtt");
            return name(parts.get(0) + "." + parts.get(1));
        }
        if (function.containsKey("Fn::If")) {
            List<Object> branches = (List<Object>) function.get("Fn::If");
            return resolve(trueConditions.contains((String) branches.get(0)) ? branches.get(1) : branches.get(2));
        }
        if (function.containsKey("Fn::Sub")) {
            Object sub = function.get("Fn::Sub");
            String text;
            Map<String, Object> variables = Map.of();
            if (sub instanceof List<?> form) {
                text = (String) form.get(0);
                variables = (Map<String, Object>) form.get(1);
            } else {
                text = (String) sub;
            }
            Matcher m = VARIABLE.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String variable = m.group(1);
                String replacement = variables.containsKey(variable) ? resolve(variables.get(variable)) : name(variable);
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(out);
            return out.toString();
        }
        throw new IllegalArgumentException("IamPolicies cannot resolve " + value);
    }

    private String name(String reference) {
        String value = names.get(reference);
        if (value == null) {
            throw new IllegalArgumentException("no name given for " + reference + " (pass it in the names map)");
        }
        return value;
    }

    /** IAM's wildcards: {@code *} any run of characters, {@code ?} one; everything else literal. */
    private static Pattern glob(Object pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : String.valueOf(pattern).toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }
}
