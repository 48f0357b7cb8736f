#!/usr/bin/env python3
"""Deploy rehearsal: what CloudFormation would do with template.yaml, short of calling AWS.

For each environment of infra/sam/samconfig.toml, and for the variants a deployment may choose (an existing
data bucket, an external JWT issuer, CORS with a customer-managed KMS key), this
  1. applies the AWS::LanguageExtensions transform's parts the template uses (Fn::ForEach, intrinsic
     DeletionPolicy / UpdateReplacePolicy),
  2. runs the SAM transform itself (aws-sam-translator, the library `sam deploy` and CloudFormation use),
  3. lints the generated CloudFormation with cfn-lint,
  4. checks a few facts of the generated API that only exist after the transform (routes, authorizers, CORS).
Any error fails the run (exit 1). Missing tools are named with how to get them (exit 2, or 0 with --skip-missing).

Run it from the repository root: python3 infra/rehearsal/rehearse.py [--out DIR] [--skip-missing]
"""
import argparse
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import logging
import tomllib

VARIANTS = {
    "": {},
    "existing-bucket": {"DataBucketName": "corp-df-trusted-data"},
    "external-issuer": {"JwtIssuer": "https://idp.example.com/oauth2", "JwtAudience": "soi-api"},
    "cors-kms": {"CorsAllowedOrigins": "https://app.example.com,https://admin.example.com",
                 "DataKmsKeyArn": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
}
REGION = "eu-west-1"


def missing_tools():
    problems = []
    try:
        import samtranslator  # noqa: F401
        import yaml  # noqa: F401
    except ImportError as e:
        problems.append(f"Python package missing: {e.name} (pip install aws-sam-translator pyyaml)")
    if shutil.which("cfn-lint") is None:
        problems.append("cfn-lint is not on PATH (pip install cfn-lint)")
    return problems


def load_template(path):
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def intrinsic(loader, suffix, node):
        name = "Ref" if suffix == "Ref" else "Condition" if suffix == "Condition" else "Fn::" + suffix
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
            if name == "Fn::GetAtt":
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {name: value}

    Loader.add_multi_constructor("!", intrinsic)
    with open(path) as f:
        return yaml.load(f, Loader=Loader)


def parameters_of(config_env):
    with open("infra/sam/samconfig.toml", "rb") as f:
        config = tomllib.load(f)
    overrides = config[config_env]["deploy"]["parameters"]["parameter_overrides"]
    return dict(item.split("=", 1) for item in overrides.split())


class Values:
    """Parameter values (with defaults) and condition results, for the parts of LanguageExtensions we expand."""

    def __init__(self, template, given):
        self.params = {}
        for name, spec in template.get("Parameters", {}).items():
            value = given.get(name, spec.get("Default"))
            if value is None:
                raise SystemExit(f"parameter {name} has no value and no default")
            if spec["Type"] == "CommaDelimitedList" and isinstance(value, str):
                value = value.split(",")
            self.params[name] = value
        self.conditions = template.get("Conditions", {})

    def value(self, node):
        if isinstance(node, dict):
            (fn, arg), = node.items()
            if fn == "Ref":
                return self.params[arg]
            if fn == "Fn::Join":
                return arg[0].join(str(v) for v in self.value(arg[1]))
            if fn == "Fn::Equals":
                return str(self.value(arg[0])) == str(self.value(arg[1]))
            if fn == "Fn::Not":
                return not self.value(arg[0])
            if fn == "Fn::And":
                return all(self.value(a) for a in arg)
            if fn == "Fn::Or":
                return any(self.value(a) for a in arg)
            if fn == "Condition":
                return self.condition(arg)
            raise SystemExit(f"rehearsal cannot evaluate {fn} here")
        return node

    def condition(self, name):
        return bool(self.value(self.conditions[name]))


def substitute(node, identifier, value):
    if isinstance(node, dict):
        return {substitute(k, identifier, value): substitute(v, identifier, value) for k, v in node.items()}
    if isinstance(node, list):
        return [substitute(v, identifier, value) for v in node]
    if isinstance(node, str):
        return node.replace("&{" + identifier + "}", value).replace("${" + identifier + "}", value)
    return node


def language_extensions(template, values):
    """Fn::ForEach over Resources and intrinsic deletion policies: what AWS::LanguageExtensions does first."""
    resources = {}
    for key, body in template["Resources"].items():
        if key.startswith("Fn::ForEach::"):
            identifier, collection, fragment = body
            for item in values.value(collection):
                for name, resource in fragment.items():
                    resources[substitute(name, identifier, item)] = substitute(resource, identifier, item)
        else:
            resources[key] = body
    for resource in resources.values():
        for policy in ("DeletionPolicy", "UpdateReplacePolicy"):
            if isinstance(resource.get(policy), dict):
                condition, when_true, when_false = resource[policy]["Fn::If"]
                resource[policy] = when_true if values.condition(condition) else when_false
    template["Resources"] = resources
    template["Transform"] = "AWS::Serverless-2016-10-31"
    return template


def package(template):
    """What `sam deploy` does before the transform: upload each CodeUri and point it at the artifact in S3."""
    for name, resource in template["Resources"].items():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = f"s3://rehearsal-artifacts/{name}.zip"
    return template


def sam_transform(template, parameters):
    from samtranslator.translator.transform import transform

    class NoManagedPolicyLookup:
        # The template names its managed policies by ARN, so no IAM lookup is needed.
        def load(self):
            return {}

    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    return transform(template, parameters, NoManagedPolicyLookup())


def check_generated(name, output, values, given):
    """Facts of the generated API that exist only after the transform; each would surface only at deploy time."""
    problems = []
    api = output["Resources"]["HttpApi"]["Properties"]["Body"]
    proxy = api["paths"].get("/api/{proxy+}", {})
    if proxy.get("x-amazon-apigateway-any-method", {}).get("security") != [{"JwtAuthorizer": []}]:
        problems.append("ANY /api/{proxy+} is not behind the JWT authorizer")
    if proxy.get("options", {}).get("security") not in ([{"NONE": []}], [], None) or "options" not in proxy:
        problems.append("OPTIONS /api/{proxy+} (browser preflight) is missing or behind an authorizer")
    if "CorsAllowedOrigins" in given:
        cors = api.get("x-amazon-apigateway-cors", {})
        cors = cors.get("Fn::If", [None, cors])[1] if values.condition("HasCorsOrigins") else None
        if not isinstance(cors, dict) or not isinstance(cors.get("allowOrigins"), list):
            problems.append(f"CORS origins do not reach the API as a list: {cors}")
    if not any(r["Type"] == "AWS::Lambda::Version" for r in output["Resources"].values()):
        problems.append("no published Lambda version: SnapStart applies only to versions")
    # The API answers from the read model in S3: it must not be able to start a query, nor need a workgroup.
    api_actions = [action for policy in output["Resources"]["ApiRole"]["Properties"].get("Policies", [])
                   for statement in statements(policy["PolicyDocument"]["Statement"])
                   for action in ([statement["Action"]] if isinstance(statement.get("Action"), str) else statement.get("Action", []))]
    if any(a.startswith(("athena:", "glue:")) for a in api_actions):
        problems.append(f"ApiRole may call Athena or Glue: {sorted(a for a in api_actions if a.startswith(('athena:', 'glue:')))}")
    if "SOI_AWS_ATHENA_WORKGROUP" in output["Resources"]["ApiFunction"]["Properties"]["Environment"]["Variables"]:
        problems.append("ApiFunction still gets an Athena workgroup")
    if sum(r["Type"] == "AWS::Athena::WorkGroup" for r in output["Resources"].values()) != 2:
        problems.append("expected two Athena workgroups (batch, analyst)")
    return [f"{name}: {p}" for p in problems]


def statements(listed):
    """The Allow statements of a policy, with an Fn::If around a statement resolved to its first branch."""
    for statement in listed:
        if isinstance(statement, dict) and "Fn::If" in statement:
            statement = statement["Fn::If"][1]
        if isinstance(statement, dict) and statement.get("Effect") == "Allow":
            yield statement


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="target/deploy-rehearsal")
    parser.add_argument("--skip-missing", action="store_true", help="exit 0 (after saying so) when a tool is missing")
    args = parser.parse_args()

    logging.disable(logging.WARNING)  # the translator's own metrics chatter
    problems = missing_tools()
    if problems:
        print("deploy rehearsal NOT run: " + "; ".join(problems))
        return 0 if args.skip_missing else 2

    source = load_template("template.yaml")
    with open("infra/sam/samconfig.toml", "rb") as f:
        environments = [name for name in tomllib.load(f) if name != "version"]
    os.makedirs(args.out, exist_ok=True)
    failures, outputs = [], []
    for env in environments:
        for variant, extra in VARIANTS.items():
            name = env + ("-" + variant if variant else "")
            given = {**parameters_of(env), **extra}
            template = copy.deepcopy(source)
            try:
                values = Values(template, given)
                expanded = package(language_extensions(template, values))
                # CloudFormation hands list-typed parameters to the transform as lists.
                output = sam_transform(expanded, {k: values.params[k] for k in given})
            except Exception as e:  # the translator raises its own exception types with the reasons
                failures.append(f"{name}: SAM transform failed: {e}")
                continue
            failures.extend(check_generated(name, output, values, given))
            path = os.path.join(args.out, name + ".json")
            with open(path, "w") as f:
                json.dump(output, f, indent=1, sort_keys=True, default=str)
            outputs.append(path)
    if outputs:
        # W1020 (a Sub without variables) is an artefact of expanding Fn::ForEach here: the group names become
        # constants, exactly as CloudFormation's own expansion leaves them.
        lint = subprocess.run(["cfn-lint", "--ignore-checks", "W1020", "--", *outputs], capture_output=True, text=True)
        if lint.returncode != 0:
            failures.append("cfn-lint found problems in the transformed templates:\n" + (lint.stdout + lint.stderr).strip())
    if failures:
        print(f"deploy rehearsal FAILED ({len(failures)} problems):")
        for failure in failures:
            print(" - " + failure)
        return 1
    print(f"deploy rehearsal passed: {len(outputs)} variants ({', '.join(environments)} x {len(VARIANTS)}) transformed by "
          f"aws-sam-translator and linted by cfn-lint; outputs in {args.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
