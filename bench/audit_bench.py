"""Bench: discover + ingest of a large estate on the emulator. `python bench/audit_bench.py`.

Builds (through the plain EC2/RDS APIs) a VPC with 200 security groups, N instances (run_instances
in batches of 100, so N/100 reservations) and 2 Multi-AZ MySQL databases, then times discover +
ingest and prints the API calls per operation. Run for 100 and 1,000 instances: the calls stay the
same, because they grow with pages, not with resources. A last run with page size 5 shows the
calls growing with pages. Speed is measured here, never asserted in a test.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import boto3
from fake_aws import isolate

REGION = "ap-northeast-2"
GROUPS = 200
DATABASES = 2
BATCH = 100


def build(url: str, instances: int) -> str:
    """The estate; returns its VPC id."""
    ec2 = boto3.client("ec2", endpoint_url=url, region_name=REGION)
    rds = boto3.client("rds", endpoint_url=url, region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(
            VpcId=vpc, CidrBlock=f"10.0.{i * 16}.0/20", AvailabilityZone=f"{REGION}{'ab'[i % 2]}"
        )["Subnet"]["SubnetId"]
        for i in range(4)
    ]
    groups = [
        ec2.create_security_group(GroupName=f"g{i}", Description="bench", VpcId=vpc)["GroupId"]
        for i in range(GROUPS)
    ]
    for i, group in enumerate(groups[1:], start=1):
        ec2.authorize_security_group_ingress(
            GroupId=group,
            IpPermissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": 443,
                    "ToPort": 443,
                    "UserIdGroupPairs": [{"GroupId": groups[i - 1]}],
                }
            ],
        )
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    for batch in range(instances // BATCH):
        ec2.run_instances(
            ImageId=image,
            InstanceType="t3.micro",
            MinCount=BATCH,
            MaxCount=BATCH,
            SubnetId=subnets[batch % 2],
            SecurityGroupIds=[groups[batch]],
        )
    rds.create_db_subnet_group(
        DBSubnetGroupName="bench", DBSubnetGroupDescription="bench", SubnetIds=subnets[2:]
    )
    for i in range(DATABASES):
        rds.create_db_instance(
            DBInstanceIdentifier=f"bench-{i}",
            Engine="mysql",
            DBInstanceClass="db.t3.micro",
            AllocatedStorage=20,
            MasterUsername="admin",
            ManageMasterUserPassword=True,
            MultiAZ=True,
            DBSubnetGroupName="bench",
            VpcSecurityGroupIds=[groups[-1]],
        )
    return vpc


def measure(url: str, vpc: str, page_size: int | None = None) -> dict[str, Any]:
    import awsarch
    from awsarch.adapters.aws.discover import discover  # the API's observe does both, timed as one
    from awsarch.adapters.aws.ingest import ingest

    session = awsarch.AwsSession(region=REGION, endpoint_url=url)
    started = time.perf_counter()
    raw = discover(session, vpc_id=vpc, page_size=page_size)
    discovered = time.perf_counter()
    model = ingest(raw)
    done = time.perf_counter()
    return {
        "discover_s": discovered - started,
        "ingest_s": done - discovered,
        "instances": len(model.instances),
        "groups": len(model.security_groups),
        "databases": len(model.databases),
        "calls": session.calls.counts(),
    }


def report(title: str, result: dict[str, Any]) -> None:
    print(f"\n== {title}")
    print(
        f"   model: {result['instances']} instances, {result['groups']} security groups, "
        f"{result['databases']} databases"
    )
    print(
        f"   discover {result['discover_s']:.2f} s, ingest {result['ingest_s'] * 1000:.0f} ms, "
        f"{sum(result['calls'].values())} API calls"
    )
    for operation, count in result["calls"].items():
        print(f"   {count:5d}  {operation}")


def main() -> None:
    isolate(REGION)
    from awsarch.adapters import emulator

    running = emulator.start()
    try:
        for instances in (100, 1000):
            running.reset()
            started = time.perf_counter()
            vpc = build(running.endpoint_url, instances)
            print(f"\nbuilt {instances} instances in {time.perf_counter() - started:.1f} s")
            report(f"{instances} instances, default page sizes", measure(running.endpoint_url, vpc))
        report("1000 instances, page size 5", measure(running.endpoint_url, vpc, page_size=5))
    finally:
        running.stop()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
