package dev.soi.infra;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Static checks over a CloudFormation/SAM template: that every name an intrinsic points at exists, and that
 * IAM statements name their resources. Each check returns the problems it found, one readable line each, so
 * a failing test lists all of them at once.
 */
final class TemplateChecks {
    /** Pseudo parameters CloudFormation defines in every stack. */
    static final Set<String> PSEUDO_PARAMETERS = Set.of(
            "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition",
            "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");

    /** The comment a wildcard resource must carry on its own line. */
    static final String WILDCARD_JUSTIFICATION = "AWS requires";

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
    private static final String FOR_EACH = "Fn::ForEach::";

    private final Map<String, Object> template;
    private final Set<String> parameters;
    private final Set<String> resources;
    private final Set<String> conditions;
    private final Map<String, Object> mappings;
    private final Set<String> generatedNames;
    private final Set<String> usedGeneratedNames = new HashSet<>();

    /**
     * @param generatedNames names the SAM transform creates that the template may reference, in the form they
     *                       are referenced ({@code Fn.Alias} for a Ref, {@code Resource} for a GetAtt target)
     */
    TemplateChecks(Map<String, Object> template, Set<String> generatedNames) {
        this.template = template;
        this.parameters = section("Parameters").keySet();
        this.resources = section("Resources").keySet();
        this.conditions = section("Conditions").keySet();
        this.mappings = section("Mappings");
        this.generatedNames = generatedNames;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> section(String name) {
        Object section = template.get(name);
        return section == null ? Map.of() : (Map<String, Object>) section;
    }

    /** Generated names some reference actually used (after {@link #referenceProblems()}). */
    Set<String> usedGeneratedNames() {
        return Set.copyOf(usedGeneratedNames);
    }

    /**
     * Every Ref, GetAtt, Sub variable, condition name and mapping name in Resources, Outputs, Conditions and
     * Rules resolves. Inside {@code Fn::ForEach} the loop variable resolves too.
     */
    List<String> referenceProblems() {
        List<String> problems = new ArrayList<>();
        for (String sectionName : List.of("Resources", "Outputs", "Conditions", "Rules")) {
            for (Map.Entry<String, Object> entry : section(sectionName).entrySet()) {
                String path = sectionName + "." + entry.getKey();
                if (entry.getKey().startsWith(FOR_EACH)) {
                    walkForEach(entry.getValue(), Set.of(), path, problems);
                } else {
                    walk(entry.getValue(), Set.of(), path, problems);
                }
            }
        }
        return problems;
    }

    private void walkForEach(Object loop, Set<String> scope, String path, List<String> problems) {
        if (!(loop instanceof List<?> parts) || parts.size() != 3 || !(parts.get(0) instanceof String variable)
                || !(parts.get(2) instanceof Map<?, ?> body)) {
            problems.add(path + ": Fn::ForEach needs [identifier, collection, {template}]");
            return;
        }
        walk(parts.get(1), scope, path + "[collection]", problems);
        Set<String> inner = new HashSet<>(scope);
        inner.add(variable);
        for (Map.Entry<?, ?> generated : body.entrySet()) {
            String key = String.valueOf(generated.getKey());
            if (!key.contains("${" + variable + "}") && !key.contains("&{" + variable + "}")) {
                problems.add(path + ": generated logical id " + key + " does not use ${" + variable + "} or &{" + variable + "}, so every iteration would collide");
            }
            walk(generated.getValue(), inner, path + "." + key, problems);
        }
    }

    private void walk(Object node, Set<String> scope, String path, List<String> problems) {
        if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), scope, path + "[" + i + "]", problems);
            }
            return;
        }
        if (!(node instanceof Map<?, ?> map)) {
            return;
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            Object value = entry.getValue();
            String here = path + "." + key;
            switch (key) {
                case "Ref" -> checkRef(value, scope, here, problems);
                case "Fn::GetAtt" -> checkGetAtt(value, scope, here, problems);
                case "Fn::Sub" -> checkSub(value, scope, here, problems);
                case "Fn::If" -> checkIf(value, here, problems);
                case "Fn::FindInMap" -> checkFindInMap(value, here, problems);
                // A resource's or output's Condition attribute, or the !Condition intrinsic. An IAM statement's
                // Condition block is a mapping and is walked like any other value.
                case "Condition" -> {
                    if (value instanceof String name) {
                        checkCondition(name, here, problems);
                    }
                }
                default -> { }
            }
            if (key.startsWith(FOR_EACH)) {
                walkForEach(value, scope, here, problems);
            } else if (!key.equals("Fn::Sub")) {
                walk(value, scope, here, problems);
            }
        }
    }

    private boolean resolves(String name, Set<String> scope) {
        if (parameters.contains(name) || resources.contains(name) || PSEUDO_PARAMETERS.contains(name) || scope.contains(name)) {
            return true;
        }
        if (generatedNames.contains(name)) {
            usedGeneratedNames.add(name);
            return true;
        }
        return false;
    }

    private void checkRef(Object target, Set<String> scope, String path, List<String> problems) {
        if (!(target instanceof String name)) {
            problems.add(path + ": Ref needs a name, got " + target);
        } else if (!resolves(name, scope)) {
            problems.add(path + ": Ref " + name + " is no parameter, resource, pseudo parameter or allowed SAM-generated name");
        }
    }

    private void checkGetAtt(Object argument, Set<String> scope, String path, List<String> problems) {
        if (!(argument instanceof List<?> parts) || parts.size() != 2 || !(parts.get(0) instanceof String resource)) {
            problems.add(path + ": GetAtt needs [Resource, Attribute], got " + argument);
            return;
        }
        boolean isResource = resources.contains(resource);
        if (!isResource && generatedNames.contains(resource)) {
            usedGeneratedNames.add(resource);
            isResource = true;
        }
        if (!isResource) {
            problems.add(path + ": GetAtt " + resource + "." + parts.get(1) + " names no resource and no allowed SAM-generated resource");
        }
        walk(parts.get(1), scope, path, problems);
    }

    private void checkSub(Object argument, Set<String> scope, String path, List<String> problems) {
        String text;
        Set<String> inner = scope;
        if (argument instanceof String plain) {
            text = plain;
        } else if (argument instanceof List<?> parts && parts.size() == 2 && parts.get(0) instanceof String s
                && parts.get(1) instanceof Map<?, ?> variables) {
            text = s;
            inner = new HashSet<>(scope);
            for (Map.Entry<?, ?> variable : variables.entrySet()) {
                inner.add(String.valueOf(variable.getKey()));
                walk(variable.getValue(), scope, path + "." + variable.getKey(), problems);
            }
        } else {
            problems.add(path + ": Sub needs a string or [string, {variables}], got " + argument);
            return;
        }
        Matcher matcher = SUB_VARIABLE.matcher(text);
        while (matcher.find()) {
            String name = matcher.group(1).trim();
            if (name.startsWith("!")) {
                continue; // ${!Literal} is an escaped, literal ${Literal}
            }
            int dot = name.indexOf('.');
            if (dot > 0 && !inner.contains(name)) {
                String resource = name.substring(0, dot);
                if (!resources.contains(resource) && !resolves(name, inner)) {
                    problems.add(path + ": ${" + name + "} names no resource");
                }
            } else if (!resolves(name, inner)) {
                problems.add(path + ": ${" + name + "} is no parameter, resource, pseudo parameter or Sub variable");
            }
        }
    }

    private void checkIf(Object argument, String path, List<String> problems) {
        if (argument instanceof List<?> parts && parts.size() == 3 && parts.get(0) instanceof String name) {
            checkCondition(name, path, problems);
        } else {
            problems.add(path + ": If needs [condition, then, else], got " + argument);
        }
    }

    private void checkCondition(String name, String path, List<String> problems) {
        if (!conditions.contains(name)) {
            problems.add(path + ": condition " + name + " is not defined in Conditions");
        }
    }

    private void checkFindInMap(Object argument, String path, List<String> problems) {
        if (!(argument instanceof List<?> parts) || parts.size() < 3 || !(parts.get(0) instanceof String mapName)) {
            problems.add(path + ": FindInMap needs [map, key, key], got " + argument);
            return;
        }
        if (!(mappings.get(mapName) instanceof Map<?, ?> map)) {
            problems.add(path + ": mapping " + mapName + " is not defined in Mappings");
            return;
        }
        if (parts.get(1) instanceof String topKey && !map.containsKey(topKey)) {
            problems.add(path + ": mapping " + mapName + " has no key " + topKey);
        }
    }

    /**
     * IAM statements (in roles, managed policies, bucket policies, SAM policies: any {@code Statement} list)
     * whose Resource is {@code '*'} without a comment on the same line containing {@value #WILDCARD_JUSTIFICATION}.
     * Works on the node tree and the raw lines because comments are not part of the parsed document.
     *
     * @return problems, and in {@code statementsSeen} the number of statements inspected
     */
    static List<String> unjustifiedWildcardResources(String rawText, int[] statementsSeen) {
        String[] lines = rawText.split("\n", -1);
        List<String> problems = new ArrayList<>();
        findStatements(CloudFormationYaml.compose(rawText), lines, problems, statementsSeen);
        return problems;
    }

    private static void findStatements(Node node, String[] lines, List<String> problems, int[] statementsSeen) {
        if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(child -> findStatements(child, lines, problems, statementsSeen));
        } else if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("Statement")
                        && tuple.getValueNode() instanceof SequenceNode statements) {
                    for (Node statement : statements.getValue()) {
                        statementsSeen[0]++;
                        checkStatement(statement, lines, problems);
                    }
                } else {
                    findStatements(tuple.getValueNode(), lines, problems, statementsSeen);
                }
            }
        }
    }

    private static void checkStatement(Node statement, String[] lines, List<String> problems) {
        if (!(statement instanceof MappingNode mapping)) {
            return;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key) || !key.getValue().equals("Resource")) {
                continue;
            }
            List<Node> values = tuple.getValueNode() instanceof SequenceNode list ? list.getValue() : List.of(tuple.getValueNode());
            for (Node value : values) {
                if (value instanceof ScalarNode scalar && scalar.getValue().trim().equals("*")) {
                    int line = scalar.getStartMark().getLine();
                    if (!lines[line].contains("#") || !lines[line].substring(lines[line].indexOf('#')).contains(WILDCARD_JUSTIFICATION)) {
                        problems.add("line " + (line + 1) + ": Resource '*' without a '# " + WILDCARD_JUSTIFICATION + " ...' comment: " + lines[line].trim());
                    }
                }
            }
        }
    }
}
