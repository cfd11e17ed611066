"""`awsarch check` on CloudFormation templates of about 1,000 and 3,000 resources, beside cfn-lint
and checkov on the same file, each as a whole process.

The templates are generated in the style the CDK emits (JSON, logical ids ending in an 8-hex-digit
hash, Fn::GetAtt for group ids, standalone AWS::EC2::SecurityGroupIngress for group-to-group rules,
Fn::GetAZs): a VPC with public, private and isolated subnets in 3 zones and a NAT gateway per
zone; G server groups (each a security group, role, instance profile, launch template and its
instances, alternately public on 443 and private on 8080 from the public group before it); a
database per four groups admitting two private groups by GetAtt, with a policy to read its secret;
and intents in the template's `Metadata: awsarch: intents:`. (`awsarch synth` refuses more than
500 resources per stack, as CloudFormation does, so these are written directly.)

What each tool does differs: `awsarch check` reads the template into one model, runs its rules
and proves every intent over every path (routes, NATs, groups, ACLs, IAM); cfn-lint validates
each resource against CloudFormation's schemas and its rules; checkov runs its policies on each
resource one at a time. Neither of the last two proves a path. cfn-lint faults both templates
with E3010 (over CloudFormation's 500 resources per stack) and the larger with E1002 (over its
1 MB template body): a CDK app this large spreads over nested stacks, read one file at a time.

Measured once on this project's machine (2 shared cores, busy; medians of 3), wall / CPU / peak:
  ~1,000 resources: awsarch 1.0 s / 0.7 s / 52 MB, cfn-lint 18.2 s / 15.4 s / 167 MB,
                    checkov 9.8 s / 9.1 s / 283 MB
  ~3,000 resources: awsarch 4.2 s / 3.0 s / 111 MB, cfn-lint 114.6 s / 82.7 s / 249 MB,
                    checkov 44.0 s / 23.5 s / 471 MB

cfn-lint and checkov run from a bench-only virtual environment, bench/.venv (gitignored), made on
first use with the pinned versions below, never in the project's dependencies. Without network
the install fails: the script says so and times what it has.
Each figure is the median of RUNS interleaved runs: wall seconds, CPU seconds (user + system of
the process and its children, from wait4) and peak resident memory (its ru_maxrss).
Run: .venv/bin/python bench/template_bench.py [--runs 3]   (or `make bench-template`)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
BENCH_VENV = Path(__file__).parent / ".venv"
PINS = ("checkov==3.3.30", "cfn-lint==1.58.0")
SIZES = {"~1,000": (20, 42), "~3,000": (40, 68)}
"""Label: (server groups, instances per group)."""
AZS = 3
AMI = (
    "SsmParameterValueawsserviceamiamazonlinuxlatestal2023C96584B6F00A464EAD1953AFF4B05118Parameter"
)

Template = dict[str, Any]


def _hash(path: str) -> str:
    """The CDK's logical id suffix: 8 upper-case hex digits of a hash of the construct path."""
    return hashlib.md5(path.encode()).hexdigest()[:8].upper()


def lid(path: str) -> str:
    return path + _hash(path)


def ref(name: str) -> dict[str, str]:
    return {"Ref": name}


def getatt(name: str, attribute: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [name, attribute]}


def az(index: int) -> dict[str, Any]:
    return {"Fn::Select": [index, {"Fn::GetAZs": ""}]}


def letters(n: int) -> str:
    """0 → A, 25 → Z, 26 → AA: group names without digits (trailing digits number instances)."""
    name = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def group_name(g: int) -> str:
    return ("Web" if g % 2 == 0 else "App") + letters(g)


def _network(res: Template) -> dict[str, list[str]]:
    """VPC, gateway, and per zone a public subnet with its NAT, a private subnet routed to it
    and an isolated subnet; returns the subnets of each kind (logical ids)."""
    vpc, igw, attach = lid("VPC"), lid("VPCIGW"), lid("VPCVPCGW")
    res[vpc] = {
        "Type": "AWS::EC2::VPC",
        "Properties": {
            "CidrBlock": "10.0.0.0/16",
            "EnableDnsHostnames": True,
            "EnableDnsSupport": True,
        },
    }
    res[igw] = {"Type": "AWS::EC2::InternetGateway"}
    res[attach] = {
        "Type": "AWS::EC2::VPCGatewayAttachment",
        "Properties": {"VpcId": ref(vpc), "InternetGatewayId": ref(igw)},
    }
    kinds: dict[str, list[str]] = {"Public": [], "Private": [], "Isolated": []}
    for k, kind in enumerate(kinds):
        for i in range(AZS):
            base = f"VPC{kind}Subnet{i + 1}"
            subnet, table = lid(base + "Subnet"), lid(base + "RouteTable")
            kinds[kind].append(subnet)
            res[subnet] = {
                "Type": "AWS::EC2::Subnet",
                "Properties": {
                    "VpcId": ref(vpc),
                    "CidrBlock": f"10.0.{k * 64 + i * 16}.0/20",
                    "AvailabilityZone": az(i),
                    "MapPublicIpOnLaunch": kind == "Public",
                    "Tags": [
                        {"Key": "aws-cdk:subnet-name", "Value": kind},
                        {"Key": "aws-cdk:subnet-type", "Value": kind},
                    ],
                },
            }
            res[table] = {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": ref(vpc)}}
            res[lid(base + "RouteTableAssociation")] = {
                "Type": "AWS::EC2::SubnetRouteTableAssociation",
                "Properties": {"RouteTableId": ref(table), "SubnetId": ref(subnet)},
            }
            route: dict[str, Any] = {
                "RouteTableId": ref(table),
                "DestinationCidrBlock": "0.0.0.0/0",
            }
            if kind == "Public":
                eip, nat = lid(base + "EIP"), lid(base + "NATGateway")
                res[eip] = {"Type": "AWS::EC2::EIP", "Properties": {"Domain": "vpc"}}
                res[nat] = {
                    "Type": "AWS::EC2::NatGateway",
                    "Properties": {
                        "SubnetId": ref(subnet),
                        "AllocationId": getatt(eip, "AllocationId"),
                    },
                    "DependsOn": [lid(base + "DefaultRoute"), lid(base + "RouteTableAssociation")],
                }
                res[lid(base + "DefaultRoute")] = {
                    "Type": "AWS::EC2::Route",
                    "Properties": {**route, "GatewayId": ref(igw)},
                    "DependsOn": [attach],
                }
            elif kind == "Private":
                nat = lid(f"VPCPublicSubnet{i + 1}NATGateway")
                res[lid(base + "DefaultRoute")] = {
                    "Type": "AWS::EC2::Route",
                    "Properties": {**route, "NatGatewayId": ref(nat)},
                }
    res[lid("VPCRestrictDefaultSecurityGroupCustomResource")] = {
        "Type": "Custom::VpcRestrictDefaultSG",
        "Properties": {
            "ServiceToken": getatt(lid("CustomVpcRestrictDefaultSGProviderHandler"), "Arn"),
            "DefaultSecurityGroupId": getatt(vpc, "DefaultSecurityGroup"),
            "Account": ref("AWS::AccountId"),
        },
    }
    res[lid("CustomVpcRestrictDefaultSGProviderHandler")] = {
        "Type": "AWS::Lambda::Function",
        "Properties": {
            "Handler": "__entrypoint__.handler",
            "Runtime": "nodejs24.x",
            "Role": getatt(lid("CustomVpcRestrictDefaultSGProviderRole"), "Arn"),
            "Code": {"ZipFile": "exports.handler = async () => {};"},
        },
    }
    res[lid("CustomVpcRestrictDefaultSGProviderRole")] = _role([], "lambda.amazonaws.com")
    return kinds


def _role(policies: list[Any], service: str = "ec2.amazonaws.com") -> dict[str, Any]:
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Action": "sts:AssumeRole",
                        "Effect": "Allow",
                        "Principal": {"Service": service},
                    }
                ],
            },
            "ManagedPolicyArns": policies,
        },
    }


def _egress_all() -> list[dict[str, str]]:
    return [
        {
            "CidrIp": "0.0.0.0/0",
            "Description": "Allow all outbound traffic by default",
            "IpProtocol": "-1",
        }
    ]


def _ingress_from(group: str, source: str, port: int) -> dict[str, Any]:
    """A group-to-group rule as the CDK writes it: a standalone resource, ids by GetAtt."""
    return {
        "Type": "AWS::EC2::SecurityGroupIngress",
        "Properties": {
            "GroupId": getatt(group, "GroupId"),
            "SourceSecurityGroupId": getatt(source, "GroupId"),
            "IpProtocol": "tcp",
            "FromPort": port,
            "ToPort": port,
            "Description": f"from {source}:{port}",
        },
    }


def _servers(res: Template, g: int, count: int, kinds: dict[str, list[str]]) -> None:
    """One server group: security group, role, profile, launch template and its instances."""
    name, public = group_name(g), g % 2 == 0
    vpc = lid("VPC")
    sg, role, profile, launch = (
        lid(name + s) for s in ("SG", "InstanceRole", "InstanceProfile", "LT")
    )
    inline = (
        [
            {
                "CidrIp": "0.0.0.0/0",
                "Description": "from 0.0.0.0/0:443",
                "FromPort": 443,
                "IpProtocol": "tcp",
                "ToPort": 443,
            }
        ]
        if public
        else []
    )
    res[sg] = {
        "Type": "AWS::EC2::SecurityGroup",
        "Properties": {
            "GroupDescription": f"App/{name}SG",
            "VpcId": ref(vpc),
            "SecurityGroupEgress": _egress_all(),
            **({"SecurityGroupIngress": inline} if inline else {}),
        },
    }
    if not public:
        source = lid(group_name(g - 1) + "SG")
        res[lid(f"{name}SGfrom{group_name(g - 1)}8080")] = _ingress_from(sg, source, 8080)
    managed = {
        "Fn::Join": [
            "",
            ["arn:", ref("AWS::Partition"), ":iam::aws:policy/AmazonSSMManagedInstanceCore"],
        ]
    }
    res[role] = _role([managed])
    res[profile] = {"Type": "AWS::IAM::InstanceProfile", "Properties": {"Roles": [ref(role)]}}
    res[launch] = {
        "Type": "AWS::EC2::LaunchTemplate",
        "Properties": {
            "LaunchTemplateData": {
                "IamInstanceProfile": {"Arn": getatt(profile, "Arn")},
                "MetadataOptions": {"HttpTokens": "required"},
                "BlockDeviceMappings": [
                    {"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": True, "VolumeSize": 8}}
                ],
            }
        },
    }
    subnets = kinds["Public" if public else "Private"]
    for i in range(count):
        res[lid(f"{name}{i + 1}")] = {
            "Type": "AWS::EC2::Instance",
            "Properties": {
                "ImageId": ref(AMI),
                "InstanceType": "t3.micro",
                "AvailabilityZone": az(i % AZS),
                "SubnetId": ref(subnets[i % AZS]),
                "SecurityGroupIds": [getatt(sg, "GroupId")],
                "LaunchTemplate": {
                    "LaunchTemplateId": ref(launch),
                    "Version": getatt(launch, "LatestVersionNumber"),
                },
            },
        }


def _database(res: Template, d: int, readers: list[int], kinds: dict[str, list[str]]) -> None:
    """A Multi-AZ database in the isolated subnets whose group admits `readers` by GetAtt, and
    a policy on each reader's role to read its managed secret."""
    name = "Db" + letters(d)
    sg, subnets, db = lid(name + "SG"), lid(name + "SubnetGroup"), lid(name)
    res[sg] = {
        "Type": "AWS::EC2::SecurityGroup",
        "Properties": {
            "GroupDescription": f"App/{name}SG",
            "VpcId": ref(lid("VPC")),
            "SecurityGroupEgress": _egress_all(),
        },
    }
    for g in readers:
        reader = group_name(g)
        res[lid(f"{name}SGfrom{reader}3306")] = _ingress_from(sg, lid(reader + "SG"), 3306)
        policy = lid(f"{reader}InstanceRoleDefaultPolicy")
        res[policy] = {
            "Type": "AWS::IAM::Policy",
            "Properties": {
                "PolicyName": policy,
                "Roles": [ref(lid(reader + "InstanceRole"))],
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Action": [
                                "secretsmanager:GetSecretValue",
                                "secretsmanager:DescribeSecret",
                            ],
                            "Effect": "Allow",
                            "Resource": getatt(db, "MasterUserSecret.SecretArn"),
                        }
                    ],
                },
            },
        }
    res[subnets] = {
        "Type": "AWS::RDS::DBSubnetGroup",
        "Properties": {
            "DBSubnetGroupDescription": f"Subnet group for {name} database",
            "SubnetIds": [ref(s) for s in kinds["Isolated"]],
        },
    }
    res[db] = {
        "Type": "AWS::RDS::DBInstance",
        "DeletionPolicy": "Snapshot",
        "UpdateReplacePolicy": "Snapshot",
        "Properties": {
            "Engine": "mysql",
            "EngineVersion": "8.4.10",
            "DBInstanceClass": "db.t3.micro",
            "AllocatedStorage": "20",
            "MultiAZ": True,
            "DBSubnetGroupName": ref(subnets),
            "VPCSecurityGroups": [getatt(sg, "GroupId")],
            "PubliclyAccessible": False,
            "StorageEncrypted": True,
            "DeletionProtection": True,
            "BackupRetentionPeriod": 7,
            "MasterUsername": "admin",
            "ManageMasterUserPassword": True,
            "CopyTagsToSnapshot": True,
        },
    }


def intents(groups: int) -> list[str]:
    """A few intents of each kind: reachable and not, from the internet and between tiers, IAM."""
    databases = max(groups // 4, 1)
    said = [
        f"internet -> {group_name(0)}:443",
        f"internet -/-> {group_name(0)}:22",
        f"internet -/-> {group_name(1)}",
        f"{group_name(0)} -> {group_name(1)}:8080",
        "Private -> internet:443",
        f"{group_name(0)} cannot iam:*",
    ]
    for d in range(databases):
        said += [f"internet -/-> Db{letters(d)}", f"{group_name(0)} -/-> Db{letters(d)}:3306"]
        if 4 * d + 1 < groups:
            reader = group_name(4 * d + 1)
            said += [
                f"{reader} -> Db{letters(d)}:3306",
                f"{reader} can secretsmanager:GetSecretValue on Db{letters(d)}.secret",
            ]
    return said


def template(groups: int, count: int) -> Template:
    """A CDK-style template: the network, `groups` server groups of `count` instances, a
    database per four groups (admitting groups 4d+1 and 4d+3), and intents in its Metadata."""
    res: Template = {}
    kinds = _network(res)
    for g in range(groups):
        _servers(res, g, count, kinds)
    for d in range(max(groups // 4, 1)):
        _database(res, d, [g for g in (4 * d + 1, 4 * d + 3) if g < groups], kinds)
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"Bench: {groups} server groups of {count} instances (generated)",
        "Metadata": {"awsarch": {"intents": intents(groups)}},
        "Parameters": {
            AMI: {
                "Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
                "Default": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
            },
            "BootstrapVersion": {
                "Type": "AWS::SSM::Parameter::Value<String>",
                "Default": "/cdk-bootstrap/hnb659fds/version",
            },
        },
        "Resources": res,
        "Rules": {
            "CheckBootstrapVersion": {
                "Assertions": [
                    {
                        "Assert": {
                            "Fn::Not": [
                                {
                                    "Fn::Contains": [
                                        ["1", "2", "3", "4", "5"],
                                        ref("BootstrapVersion"),
                                    ]
                                }
                            ]
                        },
                        "AssertDescription": "Run 'cdk bootstrap' with a recent version.",
                    }
                ]
            }
        },
        "Outputs": {
            f"Db{letters(d)}Endpoint": {"Value": getatt(lid(f"Db{letters(d)}"), "Endpoint.Address")}
            for d in range(max(groups // 4, 1))
        },
    }


def bench_tools() -> dict[str, Path]:
    """cfn-lint and checkov from bench/.venv, installed at the pinned versions when the pins
    changed or on first use."""
    tools = {name: BENCH_VENV / "bin" / name for name in ("cfn-lint", "checkov")}
    stamp = BENCH_VENV / (".installed-" + hashlib.md5(" ".join(PINS).encode()).hexdigest()[:8])
    if not stamp.exists():
        print(f"installing {' '.join(PINS)} into {BENCH_VENV} …", flush=True)
        python = BENCH_VENV / "bin" / "python"
        steps = [] if python.exists() else [[sys.executable, "-m", "venv", str(BENCH_VENV)]]
        steps.append([str(python), "-m", "pip", "install", "-q", *PINS])
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, check=False)
            if done.returncode:
                last = (done.stderr.strip().splitlines() or ["?"])[-1]
                print(f"could not install ({last}); timing what is here")
                break
        else:
            stamp.touch()
    found = {name: p for name, p in tools.items() if p.exists()}
    if "cfn-lint" not in found and (BIN / "cfn-lint").exists():
        found["cfn-lint"] = BIN / "cfn-lint"  # the project's own, the same pinned version
    return found


def timed(command: list[str]) -> tuple[float, float, float, int, str]:
    """Wall s, CPU s, peak RSS MB of one whole process (wait4: this child alone), exit, output."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode(errors="replace")
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024, proc.returncode, text


def summary(tool: str, code: int, text: str) -> str:
    """What the tool said, in a few words."""
    lines = text.strip().splitlines()
    if tool == "awsarch check":
        return (lines or ["?"])[-1].split(": ", 1)[-1]
    if tool == "cfn-lint":
        found = sorted(
            {line.split()[0] for line in lines if line[:1] in "EWI" and line[1:5].isdigit()}
        )
        return f"exit {code}: {', '.join(found) or 'clean'}"
    failed = sum(1 for line in lines if line.startswith("Check: "))
    return f"exit {code}, {failed} failed checks"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    tools = bench_tools()
    print(f"pinned: {', '.join(PINS)}; found: {', '.join(sorted(tools)) or 'none'}")
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for label, (groups, count) in SIZES.items():
            doc = template(groups, count)
            path = Path(folder) / f"bench-{groups}x{count}.template.json"
            path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
            files[label] = (path, len(doc["Resources"]))
        commands: dict[tuple[str, str], list[str]] = {}
        for label, (path, _) in files.items():
            commands[label, "awsarch check"] = [str(BIN / "awsarch"), "check", str(path)]
            if "cfn-lint" in tools:
                commands[label, "cfn-lint"] = [str(tools["cfn-lint"]), str(path)]
            if "checkov" in tools:
                commands[label, "checkov"] = [
                    str(tools["checkov"]),
                    *("-f", str(path), "--framework", "cloudformation", "--quiet", "--compact"),
                ]
        samples: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
        said: dict[tuple[str, str], str] = {}
        for _ in range(runs):  # interleaved: each round runs every case once
            for key, command in commands.items():
                wall, cpu, peak, code, text = timed(command)
                samples.setdefault(key, []).append((wall, cpu, peak))
                said[key] = summary(key[1], code, text)
    print(f"\n{'size':>7} {'resources':>9} {'tool':14} {'wall':>7} {'cpu':>7} {'peak MB':>8}  says")
    medians = {
        key: [statistics.median(col) for col in zip(*s, strict=True)] for key, s in samples.items()
    }
    for (label, tool), (wall, cpu, peak) in medians.items():
        resources = files[label][1]
        figures = f"{wall:6.2f}s {cpu:6.2f}s {peak:8.0f}"
        print(f"{label:>7} {resources:>9} {tool:14} {figures}  {said[label, tool]}")
    print(
        f"\nmedians of {runs}; ratios: the tool's figure ÷ awsarch check's (above 1: awsarch less)"
    )
    for label in files:
        ours = medians[label, "awsarch check"]
        for tool in ("cfn-lint", "checkov"):
            if (label, tool) in medians:
                wall, cpu, peak = (t / a for t, a in zip(medians[label, tool], ours, strict=True))
                print(
                    f"{label:>7} {tool:14} wall {wall:5.1f}×  cpu {cpu:5.1f}×  peak MB {peak:5.1f}×"
                )
    print(
        "\nawsarch check: rules on the model and every intent proved over every path;"
        "\ncfn-lint: each resource against CloudFormation's schemas and rules;"
        "\ncheckov: its policies on each resource, one at a time. Neither proves a path."
    )


if __name__ == "__main__":
    main()
