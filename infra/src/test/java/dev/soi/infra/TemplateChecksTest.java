package dev.soi.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The checks SamTemplateTest relies on, shown to catch what they are meant to catch. */
class TemplateChecksTest {

    private static final String TEMPLATE = """
            Parameters:
              Env:
                Type: String
            Conditions:
              IsProd: !Equals [!Ref Env, prod]
            Mappings:
              Sizes:
                prod: {Memory: 2048}
            Resources:
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: !Sub q-${Env}-${AWS::Region}-${!Literal}
                  Tags:
                    - Key: arn
                      Value: !GetAtt Queue.Arn
                    - Key: size
                      Value: !FindInMap [Sizes, prod, Memory]
                    - Key: mixed
                      Value: !Sub
                        - ${Name}-${Queue.QueueName}
                        - Name: !If [IsProd, a, b]
              Fn::ForEach::Topics:
                - Unit
                - [AE, CMF]
                - Topic&{Unit}:
                    Type: AWS::SNS::Topic
                    Properties:
                      TopicName: !Sub t-${Unit}
            Outputs:
              Url:
                Condition: IsProd
                Value: !Ref Queue
            """;

    @Test
    void shortTagsBecomeTheirLongForms() {
        Map<String, Object> doc = CloudFormationYaml.load("""
                a: !Ref X
                b: !GetAtt Res.Endpoint.Address
                c: !Sub x-${Y}
                d: !Join [',', [a, b]]
                e: !Base64 text
                f: !GetAZs ''
                g: !Condition C
                h: !Select [0, !Split [',', !ImportValue Other]]
                i: !Cidr [!Ref Block, 2, 8]
                j: !And [!Or [!Condition C, !Not [!Condition D]], !Equals [1, 1]]
                """);
        assertThat(doc.get("a")).isEqualTo(Map.of("Ref", "X"));
        assertThat(doc.get("b")).isEqualTo(Map.of("Fn::GetAtt", List.of("Res", "Endpoint.Address")));
        assertThat(doc.get("c")).isEqualTo(Map.of("Fn::Sub", "x-${Y}"));
        assertThat(doc.get("d")).isEqualTo(Map.of("Fn::Join", List.of(",", List.of("a", "b"))));
        assertThat(doc.get("e")).isEqualTo(Map.of("Fn::Base64", "text"));
        assertThat(doc.get("f")).isEqualTo(Map.of("Fn::GetAZs", ""));
        assertThat(doc.get("g")).isEqualTo(Map.of("Condition", "C"));
        assertThat(doc.get("h")).isEqualTo(Map.of("Fn::Select", List.of(0, Map.of("Fn::Split", List.of(",", Map.of("Fn::ImportValue", "Other"))))));
        assertThat(doc.get("i")).isEqualTo(Map.of("Fn::Cidr", List.of(Map.of("Ref", "Block"), 2, 8)));
        assertThat(doc.get("j")).isEqualTo(Map.of("Fn::And", List.of(
                Map.of("Fn::Or", List.of(Map.of("Condition", "C"), Map.of("Fn::Not", List.of(Map.of("Condition", "D"))))),
                Map.of("Fn::Equals", List.of(1, 1)))));
    }

    @Test
    void aConsistentTemplateHasNoReferenceProblems() {
        assertThat(new TemplateChecks(CloudFormationYaml.load(TEMPLATE), Set.of()).referenceProblems()).isEmpty();
    }

    @Test
    void everyKindOfDanglingNameIsReported() {
        String broken = TEMPLATE
                .replace("Value: !Ref Queue", "Value: !Ref Queu")
                .replace("!GetAtt Queue.Arn", "!GetAtt Missing.Arn")
                .replace("q-${Env}", "q-${Envv}")
                .replace("${Queue.QueueName}", "${Gone.QueueName}")
                .replace("!If [IsProd", "!If [IsProduction")
                .replace("Condition: IsProd", "Condition: IsStaging")
                .replace("[Sizes, prod", "[Sizez, prod")
                .replace("t-${Unit}", "t-${Units}");
        List<String> problems = new TemplateChecks(CloudFormationYaml.load(broken), Set.of()).referenceProblems();
        assertThat(problems).hasSize(8);
        assertThat(String.join("\n", problems)).contains("Ref Queu ", "GetAtt Missing.Arn", "${Envv}", "${Gone.QueueName}",
                "condition IsProduction", "condition IsStaging", "mapping Sizez", "${Units}");
    }

    @Test
    void generatedNamesResolveOnlyWhenAllowListed() {
        String template = TEMPLATE.replace("Value: !Ref Queue", "Value: !Ref Fn.Alias");
        assertThat(new TemplateChecks(CloudFormationYaml.load(template), Set.of()).referenceProblems()).hasSize(1);
        TemplateChecks allowing = new TemplateChecks(CloudFormationYaml.load(template), Set.of("Fn.Alias"));
        assertThat(allowing.referenceProblems()).isEmpty();
        assertThat(allowing.usedGeneratedNames()).containsExactly("Fn.Alias");
    }

    @Test
    void wildcardResourcesNeedTheJustifyingCommentOnTheirLine() {
        String policy = """
                Statement:
                  - Effect: Allow
                    Action: athena:ListWorkGroups
                    Resource: '*' # AWS requires '*': no resource-level permissions
                  - Effect: Allow
                    Action: s3:GetObject
                    Resource: "*"
                  - Effect: Allow
                    Action: s3:GetObject
                    Resource:
                      - arn:aws:s3:::b/k
                      - '*' # broad on purpose
                """;
        int[] seen = {0};
        List<String> problems = TemplateChecks.unjustifiedWildcardResources(policy, seen);
        assertThat(seen[0]).isEqualTo(3);
        assertThat(problems).containsExactly(
                "line 7: Resource '*' without a '# AWS requires ...' comment: Resource: \"*\"",
                "line 12: Resource '*' without a '# AWS requires ...' comment: - '*' # broad on purpose");
    }
}
