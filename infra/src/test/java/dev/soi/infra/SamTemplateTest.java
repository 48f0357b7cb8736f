package dev.soi.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks of the deployable SAM application (template.yaml and infra/sam/) that need no AWS account: names
 * resolve, IAM names its resources, and the timing relations between queue, batch and schedule hold.
 */
class SamTemplateTest {

    /**
     * Names the SAM transform generates that the template references. Anything else a Ref or GetAtt names
     * must be declared in the template, so a typo cannot hide behind "SAM will create it".
     */
    static final Map<String, String> SAM_GENERATED_NAMES = Map.of(
            "ApiFunction.Alias",
            "Ref <Function>.Alias: the AWS::Lambda::Alias SAM creates for AutoPublishAlias (logical id ApiFunctionAliaslive)");

    /**
     * Seconds a run needs after it stops draining: write the Parquet files, commit the manifest, delete the
     * messages, register partitions, rebuild latest with an Athena CTAS, verify and swap, publish, release.
     */
    static final int BATCH_WORK_AFTER_DRAINING_SECONDS = 300;

    /** The largest message SQS accepts (256 KiB); larger submissions use the claim-check prefix. */
    static final int SQS_MAX_MESSAGE_SIZE = 262_144;

    /** Variables the api and batch applications read (Spring relaxed binding), set for both functions. */
    static final List<String> SHARED_ENVIRONMENT = List.of(
            "SPRING_PROFILES_ACTIVE", "SOI_ENV", "SOI_AWS_REGION", "SOI_AWS_BUCKET", "SOI_AWS_PREFIX",
            "SOI_AWS_QUEUE_URL", "SOI_AWS_DLQ_URL", "SOI_AWS_EVENT_BUS", "SOI_BUSINESS_UNITS", "SOI_BATCH_MAX_SECONDS");

    /** Variables only the batch reads: the API runs no query. */
    static final List<String> BATCH_ENVIRONMENT = List.of("SOI_AWS_ATHENA_WORKGROUP", "SOI_AWS_ATHENA_OUTPUT_LOCATION");

    static Path root;
    static String rawTemplate;
    static Map<String, Object> template;
    static TemplateChecks checks;

    @BeforeAll
    static void readTemplate() throws IOException {
        root = repositoryRoot();
        rawTemplate = Files.readString(root.resolve("template.yaml"), StandardCharsets.UTF_8);
        template = CloudFormationYaml.load(rawTemplate);
        checks = new TemplateChecks(template, SAM_GENERATED_NAMES.keySet());
    }

    // ------------------------------------------------------------------ parsing and names

    @Test
    void templateIsASamTemplateThatParsesWithCloudFormationTags() {
        assertThat(template.get("AWSTemplateFormatVersion")).isEqualTo("2010-09-09");
        assertThat(asList(template.get("Transform"))).contains("AWS::Serverless-2016-10-31");
        assertThat(checks.section("Resources")).containsKeys("ApiFunction", "BatchFunction", "HttpApi", "SubmissionQueue");
        assertThat(resource("BatchFunction").get("Type")).isEqualTo("AWS::Serverless::Function");
    }

    @Test
    void everyRefGetAttSubConditionAndMappingNameResolves() {
        assertThat(checks.referenceProblems()).isEmpty();
    }

    @Test
    void everyAllowListedGeneratedNameIsStillUsed() {
        checks.referenceProblems();
        assertThat(checks.usedGeneratedNames())
                .as("drop allow-list entries the template no longer references")
                .containsExactlyInAnyOrderElementsOf(SAM_GENERATED_NAMES.keySet());
    }

    // ------------------------------------------------------------------ IAM

    @Test
    void iamStatementsNameSpecificResourcesUnlessAwsRequiresAWildcard() {
        int[] seen = {0};
        List<String> problems = TemplateChecks.unjustifiedWildcardResources(rawTemplate, seen);
        assertThat(problems).isEmpty();
        // Guards the check itself: the template has four roles and two bucket policies full of statements.
        assertThat(seen[0]).isGreaterThan(30);
    }

    @Test
    void noAllowStatementGrantsEveryAction() {
        List<String> problems = new ArrayList<>();
        forEachStatement(template, statement -> {
            if ("Allow".equals(statement.get("Effect"))) {
                for (Object action : asList(statement.get("Action"))) {
                    if (action instanceof String a && (a.equals("*") || a.endsWith(":*"))) {
                        problems.add(statement.get("Sid") + ": " + a);
                    }
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void batchMayManageOnlyTheTablesOfItsOwnDatabaseIncludingStagingTables() {
        List<String> glueResources = statementResources("BatchRole", "ManageCatalogEntries");
        assertThat(glueResources).containsExactly(
                "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:catalog",
                "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:database/df_trusted_${Env}",
                "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:table/df_trusted_${Env}/security_of_interest_pit",
                "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:table/df_trusted_${Env}/security_of_interest_latest",
                "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:table/df_trusted_${Env}/security_of_interest_latest_stg_*",
                "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:table/df_trusted_${Env}/security_of_interest_pit_cmp_*");
    }

    @Test
    void batchMayPointAPartitionAtItsCompactedFolder() {
        // athena/set_partition_location is one Glue UpdatePartition.
        assertThat(statementActions("BatchRole", "ManageCatalogEntries")).contains("glue:UpdatePartition");
    }

    @Test
    void analystReadsOnlyTheTwoTablePrefixes() {
        assertThat(statementResources("AnalystRole", "ReadTableData")).containsExactly(
                "arn:${AWS::Partition}:s3:::${Bucket}/${DataPrefix}/security_of_interest_pit/*",
                "arn:${AWS::Partition}:s3:::${Bucket}/${DataPrefix}/security_of_interest_latest/*");
        List<String> analystActions = new ArrayList<>();
        forEachStatement(resource("AnalystRole"), statement -> asList(statement.get("Action")).forEach(a -> analystActions.add((String) a)));
        assertThat(analystActions).noneMatch(a -> a.startsWith("s3:Delete") || a.startsWith("glue:Create")
                || a.startsWith("glue:Update") || a.startsWith("glue:Delete") || a.startsWith("sqs:"));
        assertThat(properties("AnalystRole").get("MaxSessionDuration")).isEqualTo(3600);
    }

    // ------------------------------------------------------------------ timing relations

    @Test
    void queueVisibilityTimeoutOutlastsTheLongestBatchRun() {
        int visibility = (Integer) properties("SubmissionQueue").get("VisibilityTimeout");
        assertThat(visibility).isGreaterThan(batchTimeout());
    }

    @Test
    void batchKeepsItsShortLeaseAndVisibilityDefaultsSoACrashCostsAMinute() {
        Map<String, Object> batch = environment("BatchFunction");
        // The heartbeat renews a 60 s lease and extends a 60 s visibility every 20 s; setting either to more than
        // the 900 s timeout (as once done) turns every killed run into a 15-minute stall.
        assertThat(batch).doesNotContainKeys("SOI_BATCH_LEASETTL", "SOI_BATCH_VISIBILITYTIMEOUT", "SOI_BATCH_HEARTBEAT");
    }

    @Test
    void aStaleLatestTableAlarmsAlsoWhenTheBatchReportsNothing() {
        Map<String, Object> alarm = properties("LatestTableStaleAlarm");
        assertThat(alarm.get("Namespace")).isEqualTo("SecurityOfInterest");
        assertThat(alarm.get("MetricName")).isEqualTo("LatestStalenessSeconds");
        assertThat(alarm.get("TreatMissingData")).isEqualTo("breaching");
    }

    @Test
    void partitionsSetAsideByCompactionAlarmWhileAnyIs() {
        Map<String, Object> alarm = properties("CompactionSetAsideAlarm");
        assertThat(alarm.get("Namespace")).isEqualTo("SecurityOfInterest");
        assertThat(alarm.get("MetricName")).isEqualTo("CompactionPartitionsSetAside");
        assertThat(alarm.get("Statistic")).isEqualTo("Maximum");
        assertThat(alarm.get("Threshold")).isEqualTo(0);
        assertThat(alarm.get("ComparisonOperator")).isEqualTo("GreaterThanThreshold");
        assertThat(alarm.get("AlarmActions")).isEqualTo(List.of(Map.of("Ref", "AlarmTopic")));
    }

    @Test
    void submissionsStampedOutOfOrderAlarmOnTheCountTheBatchPrintsAfterEachRun() {
        Map<String, Object> alarm = properties("OutOfOrderSubmissionsAlarm");
        assertThat(alarm.get("Namespace")).isEqualTo("SecurityOfInterest");
        assertThat(alarm.get("MetricName")).isEqualTo("OutOfOrderSubmissions");
        assertThat(alarm.get("Statistic")).isEqualTo("Sum");
        assertThat(alarm.get("ComparisonOperator")).isEqualTo("GreaterThanThreshold");
        assertThat(alarm.get("Threshold")).isEqualTo(0);
        assertThat(alarm.get("TreatMissingData")).isEqualTo("notBreaching");
        assertThat(asList(alarm.get("AlarmActions"))).containsExactly(Map.of("Ref", "AlarmTopic"));
    }

    @Test
    void runManifestsOutliveTheBatchDedupeLookback() {
        // The batch skips redelivered messages by reading 14 days of manifests (SQS keeps a message 14 days).
        assertThat((Integer) parameter("RunManifestRetentionDays").get("MinValue")).isGreaterThan(14);
    }

    @Test
    void apiMayReadQueueAttributesBecauseReadinessDependsOnIt() {
        List<String> actions = new ArrayList<>();
        forEachStatement(resource("ApiRole"), statement -> {
            if (asList(statement.get("Resource")).contains(Map.of("Fn::GetAtt", List.of("SubmissionQueue", "Arn")))) {
                asList(statement.get("Action")).forEach(a -> actions.add((String) a));
            }
        });
        assertThat(actions).contains("sqs:SendMessage", "sqs:GetQueueAttributes");
    }

    @Test
    void batchTimeoutCoversTheDrainBudgetPlusTheWorkAfterIt() {
        Map<String, Object> budget = parameter("BatchMaxSeconds");
        int defaultBudget = (Integer) budget.get("Default");
        int largestBudget = (Integer) budget.get("MaxValue");
        assertThat(defaultBudget).isEqualTo(300);
        assertThat(batchTimeout()).isGreaterThanOrEqualTo(defaultBudget + BATCH_WORK_AFTER_DRAINING_SECONDS);
        assertThat(batchTimeout())
                .as("BatchMaxSeconds.MaxValue must leave the same margin, or a permitted value breaks the run")
                .isGreaterThanOrEqualTo(largestBudget + BATCH_WORK_AFTER_DRAINING_SECONDS);
        assertThat(batchTimeout()).as("Lambda's limit").isLessThanOrEqualTo(900);
    }

    @Test
    void queueTakesTheLargestMessageSqsAllowsAndRedrivesToItsDlq() {
        Map<String, Object> queue = properties("SubmissionQueue");
        assertThat(queue.get("MaximumMessageSize")).isEqualTo(SQS_MAX_MESSAGE_SIZE);
        Map<?, ?> redrive = (Map<?, ?>) queue.get("RedrivePolicy");
        assertThat(redrive.get("deadLetterTargetArn")).isEqualTo(Map.of("Fn::GetAtt", List.of("SubmissionDeadLetterQueue", "Arn")));
        assertThat((Integer) redrive.get("maxReceiveCount")).isPositive();
    }

    @Test
    void batchRunsOneAtATime() {
        assertThat(properties("BatchFunction").get("ReservedConcurrentExecutions")).isEqualTo(1);
    }

    @Test
    void scheduleInvokesRunWithItsOwnDlqAndRetryPolicy() {
        Map<?, ?> event = (Map<?, ?>) ((Map<?, ?>) properties("BatchFunction").get("Events")).get("Schedule");
        assertThat(event.get("Type")).isEqualTo("ScheduleV2");
        Map<?, ?> schedule = (Map<?, ?>) event.get("Properties");
        assertThat(schedule.get("Input")).isEqualTo("{\"command\":\"run\"}");
        assertThat(schedule.get("ScheduleExpression")).isEqualTo(Map.of("Fn::Sub", "rate(${SchedulePeriodMinutes} minutes)"));
        assertThat(schedule.get("DeadLetterConfig")).isEqualTo(Map.of("Arn", Map.of("Fn::GetAtt", List.of("ScheduleDeadLetterQueue", "Arn"))));
        assertThat(resource("ScheduleDeadLetterQueue").get("Type")).isEqualTo("AWS::SQS::Queue");
        assertThat(((Map<?, ?>) schedule.get("RetryPolicy")).keySet().stream().map(String::valueOf).toList()).contains("MaximumRetryAttempts", "MaximumEventAgeInSeconds");
    }

    @Test
    void schedulePeriodsMapToRatesAndTwoPeriodAlarmThresholds() {
        Map<String, Object> period = parameter("SchedulePeriodMinutes");
        Map<?, ?> periods = (Map<?, ?>) checks.section("Mappings").get("SchedulePeriods");
        Set<String> allowed = asList(period.get("AllowedValues")).stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(periods.keySet().stream().map(String::valueOf).toList())).isEqualTo(allowed);
        assertThat(allowed).contains(String.valueOf(period.get("Default")));
        for (String minutes : allowed) {
            int n = Integer.parseInt(minutes);
            // rate(1 minutes) is invalid; the plural form needs at least 2.
            assertThat(n).isGreaterThanOrEqualTo(2);
            Map<?, ?> row = (Map<?, ?>) periods.get(minutes);
            assertThat(row.get("PeriodSeconds")).as("period %s", minutes).isEqualTo(60 * n);
            assertThat(row.get("TwoPeriodsSeconds")).as("two periods of %s", minutes).isEqualTo(2 * 60 * n);
        }
        assertThat(properties("OldestSubmissionAgeAlarm").get("Threshold"))
                .isEqualTo(Map.of("Fn::FindInMap", List.of("SchedulePeriods", Map.of("Ref", "SchedulePeriodMinutes"), "TwoPeriodsSeconds")));
    }

    @Test
    void alarmsWatchTheDlqTheQueueAgeAndBatchErrors() {
        assertThat(alarm("SubmissionDlqDepthAlarm")).containsExactly("AWS/SQS", "ApproximateNumberOfMessagesVisible", "SubmissionDeadLetterQueue", "GreaterThanThreshold", 0);
        assertThat(alarm("ScheduleDlqDepthAlarm")).containsExactly("AWS/SQS", "ApproximateNumberOfMessagesVisible", "ScheduleDeadLetterQueue", "GreaterThanThreshold", 0);
        assertThat(alarm("OldestSubmissionAgeAlarm").subList(0, 4)).containsExactly("AWS/SQS", "ApproximateAgeOfOldestMessage", "SubmissionQueue", "GreaterThanThreshold");
        assertThat(alarm("BatchErrorsAlarm")).containsExactly("AWS/Lambda", "Errors", "BatchFunction", "GreaterThanThreshold", 0);
    }

    // ------------------------------------------------------------------ storage

    @Test
    void bucketsAreEncryptedPrivateAndTlsOnly() {
        for (String bucket : List.of("DataBucket", "AthenaResultsBucket")) {
            Map<String, Object> props = properties(bucket);
            assertThat(props).as(bucket).containsKeys("BucketEncryption", "LifecycleConfiguration");
            assertThat(map(props.get("PublicAccessBlockConfiguration"))).as(bucket)
                    .containsEntry("BlockPublicAcls", true).containsEntry("BlockPublicPolicy", true)
                    .containsEntry("IgnorePublicAcls", true).containsEntry("RestrictPublicBuckets", true);
        }
        for (String policy : List.of("DataBucketPolicy", "AthenaResultsBucketPolicy")) {
            List<Map<String, Object>> denies = new ArrayList<>();
            forEachStatement(resource(policy), denies::add);
            assertThat(denies).as(policy).anySatisfy(statement -> {
                assertThat(statement.get("Effect")).isEqualTo("Deny");
                assertThat(statement.get("Condition")).isEqualTo(Map.of("Bool", Map.of("aws:SecureTransport", "false")));
            });
        }
    }

    @Test
    void dataLifecycleExpiresPayloadsManifestsAndOldVersions() {
        Map<?, ?> lifecycle = (Map<?, ?>) properties("DataBucket").get("LifecycleConfiguration");
        Map<String, Map<String, Object>> rules = new LinkedHashMap<>();
        for (Object rule : asList(lifecycle.get("Rules"))) {
            rules.put((String) map(rule).get("Id"), map(rule));
        }
        assertThat(rules.get("expire-claim-check-payloads").get("Prefix")).isEqualTo(Map.of("Fn::Sub", "${DataPrefix}/_payloads/"));
        // Longer than SQS keeps a message (14 days), so no queued submission loses its body.
        assertThat((Integer) rules.get("expire-claim-check-payloads").get("ExpirationInDays")).isGreaterThan(14);
        assertThat(rules.get("expire-run-manifests").get("Prefix")).isEqualTo(Map.of("Fn::Sub", "${DataPrefix}/_runs/"));
        assertThat(rules.get("expire-run-manifests").get("ExpirationInDays")).isEqualTo(Map.of("Ref", "RunManifestRetentionDays"));
        assertThat(rules.get("expire-noncurrent-versions")).containsKey("NoncurrentVersionExpiration");
        assertThat(rules.get("abort-incomplete-multipart-uploads")).containsKey("AbortIncompleteMultipartUpload");
    }

    @Test
    void abandonedUploadsAreSweptOnlyLongAfterAnyRecoveryCouldCompleteThem() {
        Map<?, ?> lifecycle = (Map<?, ?>) properties("DataBucket").get("LifecycleConfiguration");
        List<Map<String, Object>> aborting = new ArrayList<>();
        for (Object rule : asList(lifecycle.get("Rules"))) {
            if (map(rule).containsKey("AbortIncompleteMultipartUpload")) {
                aborting.add(map(rule));
            }
        }
        // One rule, over the whole bucket: a committed run's PIT files are incomplete uploads until completed.
        assertThat(aborting).singleElement().satisfies(rule -> {
            assertThat(rule.get("Status")).isEqualTo("Enabled");
            assertThat(rule).doesNotContainKeys("Prefix", "Filter");
            // A committed run is recovered by the next run, whenever it comes; the rule must outlast a paused schedule
            // as long as SQS keeps the messages (14 days) and the manifest lookback (14 days).
            assertThat((Integer) map(rule.get("AbortIncompleteMultipartUpload")).get("DaysAfterInitiation")).isGreaterThanOrEqualTo(28);
        });
        assertThat(((Number) properties("SubmissionQueue").get("MessageRetentionPeriod")).longValue()).isLessThanOrEqualTo(14L * 86_400);
    }

    // ------------------------------------------------------------------ Athena

    @Test
    void analystWorkgroupEnforcesItsSettingsAndBatchWorkgroupAllowsCtasLocations() {
        for (String name : List.of("AnalystWorkgroup", "BatchWorkgroup")) {
            Map<?, ?> config = (Map<?, ?>) properties(name).get("WorkGroupConfiguration");
            assertThat(config.get("BytesScannedCutoffPerQuery")).as(name).isNotNull();
            assertThat(((Map<?, ?>) config.get("EngineVersion")).get("SelectedEngineVersion")).as(name).isEqualTo("Athena engine version 3");
            assertThat(((Map<?, ?>) config.get("ResultConfiguration")).get("OutputLocation")).as(name).isNotNull();
            // Athena fails a CTAS with external_location in a workgroup that enforces its result location.
            assertThat(config.get("EnforceWorkGroupConfiguration")).as(name).isEqualTo(!name.equals("BatchWorkgroup"));
        }
        assertThat(environment("BatchFunction").get("SOI_AWS_ATHENA_WORKGROUP")).isEqualTo(Map.of("Ref", "BatchWorkgroup"));
    }

    @Test
    void theApiRunsNoQuerySoItHasNoWorkgroupNoAthenaOrGlueAndReadsOnlyItsOwnPrefixes() {
        assertThat(checks.section("Resources")).as("nothing but the API needed a workgroup of its own").doesNotContainKey("ApiWorkgroup");
        Map<String, Object> variables = new HashMap<>(globalEnvironment());
        variables.putAll(environment("ApiFunction"));
        assertThat(variables).doesNotContainKeys(BATCH_ENVIRONMENT.toArray(String[]::new));
        List<String> actions = new ArrayList<>();
        List<Object> readable = new ArrayList<>();
        forEachStatement(resource("ApiRole"), statement -> {
            List<Object> statementActions = asList(statement.get("Action"));
            statementActions.forEach(a -> actions.add((String) a));
            if (statementActions.contains("s3:GetObject")) {
                readable.addAll(asList(statement.get("Resource")));
            }
        });
        assertThat(actions).noneMatch(a -> a.startsWith("athena:") || a.startsWith("glue:"));
        assertThat(readable.stream().map(r -> String.valueOf(((List<?>) ((Map<?, ?>) r).get("Fn::Sub")).get(0))).toList()).containsExactlyInAnyOrder(
                "arn:${AWS::Partition}:s3:::${Bucket}/${DataPrefix}/_idempotency/*",
                "arn:${AWS::Partition}:s3:::${Bucket}/${DataPrefix}/_dead_letters/*",
                "arn:${AWS::Partition}:s3:::${Bucket}/${DataPrefix}/_read_model/*");
    }

    @Test
    void theBatchPublishesTheReadModelAndLooksIntoTheDeadLetterQueue() {
        assertThat(statementResources("BatchRole", "ReadWriteDataPrefixes"))
                .contains("arn:${AWS::Partition}:s3:::${Bucket}/${DataPrefix}/_read_model/*");
        List<Object> actions = new ArrayList<>();
        forEachStatement(resource("BatchRole"), statement -> {
            if (asList(statement.get("Resource")).contains(Map.of("Fn::GetAtt", List.of("SubmissionDeadLetterQueue", "Arn")))) {
                actions.addAll(asList(statement.get("Action")));
            }
        });
        assertThat(actions).contains("sqs:SendMessage", "sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:DeleteMessage");
    }

    // ------------------------------------------------------------------ functions and the code they run

    @Test
    void bothFunctionsGetEveryVariableTheApplicationsRead() {
        for (String function : List.of("ApiFunction", "BatchFunction")) {
            Map<String, Object> variables = new HashMap<>(globalEnvironment());
            variables.putAll(environment(function));
            assertThat(variables).as(function).containsKeys(SHARED_ENVIRONMENT.toArray(String[]::new));
            if (function.equals("BatchFunction")) {
                assertThat(variables).containsKeys(BATCH_ENVIRONMENT.toArray(String[]::new));
            }
            assertThat(variables.get("SPRING_PROFILES_ACTIVE")).isEqualTo("aws");
        }
        assertThat(environment("ApiFunction")).containsKeys("AWS_LWA_PORT", "AWS_LWA_READINESS_CHECK_PATH");
        assertThat(environment("ApiFunction").get("AWS_LWA_PORT")).isEqualTo("8080");
        assertThat(environment("ApiFunction").get("AWS_LWA_READINESS_CHECK_PATH")).isEqualTo("/actuator/health/readiness");
        // The api module's own keys (soi.api.auth.*): bearer tokens from the issuer, units from Cognito groups.
        assertThat(environment("ApiFunction")).containsEntry("SOI_API_AUTH_MODE", "jwks")
                .containsEntry("SOI_API_AUTH_UNITSCLAIM", Map.of("Ref", "JwtUnitsClaim"))
                .containsEntry("SOI_API_AUTH_UNITSPREFIX", Map.of("Ref", "JwtUnitsPrefix"))
                .containsKeys("SOI_API_AUTH_ISSUERURI", "SOI_API_AUTH_AUDIENCE");
    }

    /**
     * Each SOI_* variable must reach a setting: Spring binds an environment variable to soi.aws.*, soi.api.*,
     * soi.batch.* by its name (SOI_BATCH_MAX_SECONDS is soi.batch.max-seconds), or soi-aws.properties names it.
     * SOI_LATEST_KEEP_VERSIONS (read as soi.latest.keep-versions) and SOI_JWT_* bound nothing.
     */
    @Test
    void everyTemplateVariableBindsToASettingTheApplicationsRead() throws IOException {
        String awsProperties = Files.readString(root.resolve("aws/src/main/resources/soi-aws.properties"));
        List<String> unbound = new ArrayList<>();
        List<Map<String, Object>> environments = new ArrayList<>(List.of(globalEnvironment()));
        functions().forEach(f -> environments.add(environment(f)));
        for (Map<String, Object> variables : environments) {
            for (String name : variables.keySet()) {
                boolean bound = !name.startsWith("SOI_")
                        || name.startsWith("SOI_API_") || name.startsWith("SOI_BATCH_") || name.equals("SOI_BUSINESS_UNITS")
                        || awsProperties.contains("${" + name + ":");
                if (!bound) {
                    unbound.add(name);
                }
            }
        }
        assertThat(unbound).isEmpty();
    }

    @Test
    void webAdapterLayerIsPinnedToV110WhichRefreshesConnectionsAndCallsTheRestoreHook() throws IOException {
        Map<?, ?> layer = (Map<?, ?>) ((Map<?, ?>) checks.section("Mappings").get("WebAdapterLayer")).get("aws");
        assertThat(layer.get("Account")).isEqualTo("753240598075");
        assertThat(Integer.parseInt((String) layer.get("Version"))).as("layer 30 is adapter v1.1.0").isGreaterThanOrEqualTo(30);
        assertThat(rawTemplate).doesNotContain("LambdaAdapterLayerX86:25");
        String hooks = Files.readString(root.resolve("api/src/main/java/dev/soi/api/snapstart/SnapStartHooks.java"));
        Object path = environment("ApiFunction").get("AWS_LWA_SNAPSTART_AFTER_RESTORE_PATH");
        assertThat(path).isNotNull();
        assertThat(hooks).contains("AFTER_RESTORE = \"" + path + "\"");
    }

    @Test
    void corsIsOptionalAndPreflightsNeverReachTheJwtAuthorizer() {
        Map<String, Object> cors = map(properties("HttpApi").get("CorsConfiguration"));
        assertThat(asList(cors.get("Fn::If")).get(0)).isEqualTo("HasCorsOrigins");
        assertThat(map(asList(cors.get("Fn::If")).get(1)).get("AllowHeaders")).isEqualTo(List.of("authorization", "content-type", "idempotency-key"));
        Map<String, Object> preflight = map(map(map(properties("ApiFunction").get("Events")).get("Preflight")).get("Properties"));
        assertThat(preflight.get("Method")).isEqualTo("OPTIONS");
        assertThat(preflight.get("Auth")).isEqualTo(Map.of("Authorizer", "NONE"));
    }

    @Test
    void aCustomerManagedKeyEncryptsTheBucketAndResultsAndEveryRoleMayUseIt() {
        assertThat(rawTemplate).contains("KMSMasterKeyID: !Ref DataKmsKeyArn");
        for (String workgroup : List.of("AnalystWorkgroup", "BatchWorkgroup")) {
            Map<String, Object> encryption = map(map(map(properties(workgroup).get("WorkGroupConfiguration")).get("ResultConfiguration"))
                    .get("EncryptionConfiguration"));
            assertThat(encryption.get("EncryptionOption")).as(workgroup).isEqualTo(Map.of("Fn::If", List.of("HasDataKmsKey", "SSE_KMS", "SSE_S3")));
        }
        for (String role : List.of("ApiRole", "BatchRole", "AnalystRole")) {
            List<Object> kms = new ArrayList<>();
            forEachStatement(resource(role), statement -> {
                if (statement.get("Fn::If") instanceof List<?> branches && branches.get(1) instanceof Map<?, ?> allow
                        && "UseDataKey".equals(allow.get("Sid"))) {
                    kms.add(allow.get("Action"));
                }
            });
            assertThat(kms).as(role).containsExactly(List.of("kms:GenerateDataKey", "kms:Decrypt"));
        }
    }

    @Test
    void analystMayListTheCatalogsDatabasesForTheDocumentedQuery() {
        List<Object> actions = new ArrayList<>();
        forEachStatement(resource("AnalystRole"), statement -> {
            if ("ReadTableMetadata".equals(statement.get("Sid"))) {
                actions.addAll(asList(statement.get("Action")));
            }
        });
        assertThat(actions).contains("glue:GetDatabase", "glue:GetDatabases");
    }

    @Test
    void apiRunsWithSnapStartOnPublishedVersions() {
        Map<String, Object> api = properties("ApiFunction");
        assertThat(api.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
        assertThat(api.get("AutoPublishAlias")).isNotNull();
    }

    @Test
    void everyMakefileBuiltFunctionHasABuildTarget() throws IOException {
        String makefile = Files.readString(root.resolve("Makefile"));
        for (String function : functions()) {
            Map<?, ?> metadata = (Map<?, ?>) resource(function).get("Metadata");
            if (metadata != null && "makefile".equals(metadata.get("BuildMethod"))) {
                assertThat(makefile).as("Makefile target for " + function).containsPattern("(?m)^build-" + function + ":");
            }
        }
    }

    /**
     * Fails until the batch module's Lambda handler is merged: the template names a class that must exist.
     * The source path is derived from the Handler string, not hard-coded.
     */
    @Test
    void javaHandlerClassesNamedInTheTemplateExistInTheSources() throws IOException {
        List<String> missing = new ArrayList<>();
        for (String function : functions()) {
            String handler = (String) properties(function).get("Handler");
            if (handler == null || !handler.contains("::")) {
                continue; // not a Java class handler (the API's run.sh is checked below)
            }
            String className = handler.substring(0, handler.indexOf("::"));
            String source = "src/main/java/" + className.replace('.', '/') + ".java";
            if (modulesContaining(source).isEmpty()) {
                missing.add(function + " handler " + handler + " -> no module has " + source);
            }
        }
        assertThat(missing)
                .as("HANDLER CLASS MISSING - expected until the batch branch is merged; after merging, the class "
                        + "named in template.yaml must exist (or fix the Handler there)")
                .isEmpty();
    }

    /** Fails until the api module's application class is merged. */
    @Test
    void apiMainClassStartedByTheWebAdapterScriptExistsInTheApiModule() throws IOException {
        assertThat(properties("ApiFunction").get("Handler")).isEqualTo("run.sh");
        String script = Files.readString(root.resolve("infra/sam/run-api.sh"));
        Matcher mainClass = Pattern.compile("(?m)^exec java .* (dev\\.soi\\.[A-Za-z0-9_.]+)\\s*$").matcher(script);
        assertThat(mainClass.find()).as("run-api.sh execs java with a dev.soi main class").isTrue();
        Path source = root.resolve("api/src/main/java/" + mainClass.group(1).replace('.', '/') + ".java");
        assertThat(source)
                .as("MAIN CLASS MISSING - expected until the api branch is merged; run-api.sh starts " + mainClass.group(1))
                .exists();
    }

    // ------------------------------------------------------------------ outputs, parameters, samconfig, events

    @Test
    void outputsNameEverythingAnOperatorNeeds() {
        assertThat(checks.section("Outputs")).containsKeys(
                "ApiUrl", "QueueUrl", "DlqUrl", "DataBucket", "Workgroup", "Database", "BatchFunctionName");
        assertThat(((Map<?, ?>) checks.section("Outputs").get("Database")).get("Value")).isEqualTo(Map.of("Fn::Sub", "df_trusted_${Env}"));
    }

    @Test
    void environmentsAndOptionalResourcesAreParameterised() {
        assertThat(asList(parameter("Env").get("AllowedValues"))).containsExactly("dev", "staging", "prod");
        assertThat(parameter("DataBucketName").get("Default")).isEqualTo("");
        assertThat(checks.section("Conditions").get("CreateDataBucket")).isEqualTo(Map.of("Fn::Equals", List.of(Map.of("Ref", "DataBucketName"), "")));
        assertThat(resource("DataBucket").get("Condition")).isEqualTo("CreateDataBucket");
        assertThat(checks.section("Conditions").get("CreateUserPool")).isEqualTo(Map.of("Fn::Equals", List.of(Map.of("Ref", "JwtIssuer"), "")));
        assertThat(resource("UserPool").get("Condition")).isEqualTo("CreateUserPool");
        assertThat(checks.section("Parameters")).containsKeys("BusinessUnits", "JwtIssuer", "JwtAudience",
                "SchedulePeriodMinutes", "LatestKeepVersions", "BatchMaxSeconds", "LambdaWebAdapterLayerArn");
    }

    @Test
    void samconfigDeploysEachEnvironmentWithKnownParameters() throws IOException {
        Map<String, Map<String, String>> config = SamConfig.read(root.resolve("infra/sam/samconfig.toml"));
        for (String env : List.of("dev", "staging", "prod")) {
            Map<String, String> global = config.get(env + ".global.parameters");
            Map<String, String> deploy = config.get(env + ".deploy.parameters");
            assertThat(global).as(env).containsKeys("stack_name", "region");
            assertThat(deploy.get("capabilities").split(" "))
                    .as(env).contains("CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND");
            Map<String, String> overrides = new LinkedHashMap<>();
            for (String pair : deploy.get("parameter_overrides").trim().split("\\s+")) {
                overrides.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
            assertThat(checks.section("Parameters").keySet()).as(env + " overrides").containsAll(overrides.keySet());
            assertThat(overrides.get("Env")).isEqualTo(env);
        }
        assertThat(config.get("prod.deploy.parameters").get("confirm_changeset")).isEqualTo("true");
    }

    @Test
    void sampleEventsInvokeEachBatchCommand() throws IOException {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("run.json", Map.of("command", "run", "full", false));
        expected.put("rebuild-latest.json", Map.of("command", "rebuild-latest", "full", false));
        expected.put("rebuild-latest-full.json", Map.of("command", "rebuild-latest", "full", true));
        expected.put("bootstrap.json", Map.of("command", "bootstrap", "full", false));
        for (Map.Entry<String, Object> event : expected.entrySet()) {
            // JSON is YAML, so the template loader reads the events too.
            Object parsed = CloudFormationYaml.load(Files.readString(root.resolve("infra/sam/events").resolve(event.getKey())));
            assertThat(parsed).as(event.getKey()).isEqualTo(event.getValue());
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Path repositoryRoot() {
        String configured = System.getProperty("soi.repository.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("template.yaml")) && Files.exists(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no template.yaml at or above " + start);
    }

    private static List<String> modulesContaining(String relativeSource) throws IOException {
        try (Stream<Path> modules = Files.list(root)) {
            return modules.filter(Files::isDirectory)
                    .filter(module -> Files.exists(module.resolve(relativeSource)))
                    .map(module -> module.getFileName().toString())
                    .toList();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resource(String name) {
        Object resource = checks.section("Resources").get(name);
        assertThat(resource).as("resource " + name).isNotNull();
        return (Map<String, Object>) resource;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(String name) {
        return (Map<String, Object>) resource(name).get("Properties");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parameter(String name) {
        return (Map<String, Object>) checks.section("Parameters").get(name);
    }

    private static int batchTimeout() {
        return (Integer) properties("BatchFunction").get("Timeout");
    }

    private static List<String> functions() {
        return checks.section("Resources").entrySet().stream()
                .filter(e -> e.getValue() instanceof Map<?, ?> r && "AWS::Serverless::Function".equals(r.get("Type")))
                .map(Map.Entry::getKey)
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> globalEnvironment() {
        Map<?, ?> function = (Map<?, ?>) ((Map<?, ?>) template.get("Globals")).get("Function");
        return (Map<String, Object>) ((Map<?, ?>) function.get("Environment")).get("Variables");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(String function) {
        return (Map<String, Object>) ((Map<?, ?>) properties(function).get("Environment")).get("Variables");
    }

    /** Namespace, metric, the resource its one dimension refers to, comparison, threshold. */
    private static List<Object> alarm(String name) {
        Map<String, Object> alarm = properties(name);
        Map<?, ?> dimension = (Map<?, ?>) asList(alarm.get("Dimensions")).get(0);
        Object value = dimension.get("Value");
        String target = value instanceof Map<?, ?> ref && ref.get("Ref") != null
                ? (String) ref.get("Ref")
                : (String) asList(((Map<?, ?>) value).get("Fn::GetAtt")).get(0);
        List<Object> summary = new ArrayList<>(List.of(alarm.get("Namespace"), alarm.get("MetricName"), target, alarm.get("ComparisonOperator")));
        summary.add(alarm.get("Threshold"));
        return summary;
    }

    /** The Resource entries of one statement (by Sid) of a role, each as its Sub template text. */
    private static List<String> statementResources(String role, String sid) {
        List<String> resources = new ArrayList<>();
        forEachStatement(resource(role), statement -> {
            if (sid.equals(statement.get("Sid"))) {
                for (Object entry : asList(statement.get("Resource"))) {
                    Object sub = entry instanceof Map<?, ?> m ? m.get("Fn::Sub") : entry;
                    resources.add(String.valueOf(sub instanceof List<?> l ? l.get(0) : sub));
                }
            }
        });
        assertThat(resources).as(role + " statement " + sid).isNotEmpty();
        return resources;
    }

    private static List<String> statementActions(String role, String sid) {
        List<String> actions = new ArrayList<>();
        forEachStatement(resource(role), statement -> {
            if (sid.equals(statement.get("Sid"))) {
                asList(statement.get("Action")).forEach(a -> actions.add((String) a));
            }
        });
        return actions;
    }

    @SuppressWarnings("unchecked")
    private static void forEachStatement(Object node, java.util.function.Consumer<Map<String, Object>> action) {
        if (node instanceof List<?> list) {
            list.forEach(child -> forEachStatement(child, action));
        } else if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if ("Statement".equals(entry.getKey()) && entry.getValue() instanceof List<?> statements) {
                    statements.forEach(s -> action.accept((Map<String, Object>) s));
                } else {
                    forEachStatement(entry.getValue(), action);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object value) {
        return value instanceof List<?> list ? (List<Object>) list : value == null ? List.of() : List.of(value);
    }
}
