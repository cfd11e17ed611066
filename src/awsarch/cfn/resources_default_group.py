"""The VPC's default security group emptied, as the blueprint promises and `up` does.

AWS creates every VPC's default group with a rule admitting its own members and one letting
everything out; CloudFormation can neither declare that group nor remove its rules
(https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html). So, as the AWS
CDK does (`restrictDefaultSecurityGroup`), a custom resource of the same type,
`Custom::VpcRestrictDefaultSG`, asks a small function to revoke them when the stack is created
or updated (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-customresource.html).
The function's code is inline (the `cfnresponse` module comes with inline Python code,
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-lambda-function-code-cfnresponsemodule.html)
and its role, under the stack's IAM path like every role awsarch makes, may revoke rules of the
stack's default groups alone and write its own logs (inline: the deployer may attach no
managed policy but Session Manager's).
"""

from __future__ import annotations

from awsarch.adapters.aws.ingest_iam import stack_path
from awsarch.cfn.builder import Builder, Json, get_att, ref
from awsarch.model import Architecture, SecurityGroup

CUSTOM_TYPE = "Custom::VpcRestrictDefaultSG"
FUNCTION = "RestrictDefaultSecurityGroupFunction"
ROLE = "RestrictDefaultSecurityGroupRole"
PARAMETER = "EmptyDefaultSecurityGroup"
CONDITION = "EmptiesDefaultSecurityGroup"
RUNTIME = "python3.13"
HELPER = "helper/restrict-default-group"
"""The `awsarch:name` of the function (and, with `-role`, of its role): CloudFormation's means
to do what the direct engine does with its own calls, not a resource of the blueprint."""
CODE = """\
import boto3
import cfnresponse


def handler(event, context):
    group = event["ResourceProperties"]["DefaultSecurityGroupId"]
    try:
        if event["RequestType"] in ("Create", "Update"):
            ec2 = boto3.client("ec2")
            found = ec2.describe_security_groups(GroupIds=[group])["SecurityGroups"][0]
            if found["IpPermissions"]:
                ec2.revoke_security_group_ingress(
                    GroupId=group, IpPermissions=found["IpPermissions"]
                )
            if found["IpPermissionsEgress"]:
                ec2.revoke_security_group_egress(
                    GroupId=group, IpPermissions=found["IpPermissionsEgress"]
                )
        cfnresponse.send(event, context, cfnresponse.SUCCESS, {}, group)
    except Exception as exc:
        cfnresponse.send(event, context, cfnresponse.FAILED, {}, group, reason=str(exc))
"""


def add_default_groups(b: Builder, arch: Architecture) -> None:
    """Empty each VPC's default group the model has with no rules (one function for all)."""
    emptied = [g for g in arch.security_groups if g.is_default and not (g.ingress or g.egress)]
    if not emptied:
        return
    groups = [get_att(b.name(g.vpc_id), "DefaultSecurityGroup") for g in emptied]
    b.parameters[PARAMETER] = {
        "Type": "String",
        "AllowedValues": ["true", "false"],
        "Default": "true",
        "Description": (
            "true: remove the rules AWS gives the VPC's default security group, as the"
            " blueprint says (a small function does it); false: leave them, e.g. where no"
            " function can run (an emulator) — `awsarch check` then reports SEC005"
        ),
    }
    b.conditions[CONDITION] = {"Fn::Equals": [ref(PARAMETER), "true"]}
    when = {"Condition": CONDITION}
    role = {**_role(groups), "Path": stack_path(b.stack), "Tags": b.tags(HELPER + "-role")}
    b.add(ROLE, "AWS::IAM::Role", role, **when)
    function = {
        "Description": f"awsarch {b.stack}: removes the rules of the VPC's default security group",
        "Runtime": RUNTIME,
        "Handler": "index.handler",
        "Timeout": 60,
        "Role": get_att(ROLE, "Arn"),
        "Code": {"ZipFile": CODE},
        "Tags": b.tags(HELPER),
    }
    b.add(FUNCTION, "AWS::Lambda::Function", function, **when)
    for group in emptied:
        _restrict(b, group)


def _restrict(b: Builder, group: SecurityGroup) -> None:
    vpc = b.name(group.vpc_id)
    properties = {
        "ServiceToken": get_att(FUNCTION, "Arn"),
        "DefaultSecurityGroupId": get_att(vpc, "DefaultSecurityGroup"),
    }
    name = b.derived(f"{vpc}RestrictDefaultSecurityGroup")
    b.add(name, CUSTOM_TYPE, properties, Condition=CONDITION)


def _role(groups: list[Json]) -> Json:
    arns = [
        {
            "Fn::Sub": [
                "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:security-group/${Id}",
                {"Id": group},
            ]
        }
        for group in groups
    ]
    return {
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        },
        "Policies": [
            {
                "PolicyName": "revoke-default-group-rules",
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": ["ec2:DescribeSecurityGroups"],
                            "Resource": "*",
                        },
                        {
                            "Effect": "Allow",
                            "Action": [
                                "logs:CreateLogGroup",
                                "logs:CreateLogStream",
                                "logs:PutLogEvents",
                            ],
                            "Resource": {
                                "Fn::Sub": (
                                    "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}"
                                    ":log-group:/aws/lambda/*"
                                )
                            },
                        },
                        {
                            "Effect": "Allow",
                            "Action": [
                                "ec2:RevokeSecurityGroupIngress",
                                "ec2:RevokeSecurityGroupEgress",
                            ],
                            "Resource": arns,
                        },
                    ],
                },
            }
        ],
    }
