"""route_table_association: a subnet already in a route table cannot be associated with another
(Resource.AlreadyAssociated); ReplaceRouteTableAssociation moves it. moto quietly keeps the old."""

from __future__ import annotations

from collections.abc import Iterator

import botocore.exceptions
import pytest

from tests.adapters.emulator.support import Pair, client, error_code, pair


@pytest.fixture(scope="module")
def emulators() -> Iterator[Pair]:
    yield from pair("route_table_association")


@pytest.mark.parametrize("side", ["on", "off"])
def test_a_second_association_is_refused_and_replace_moves_it(emulators: Pair, side: str) -> None:
    ec2 = client(getattr(emulators, side), "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.85.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.85.1.0/24")["Subnet"]["SubnetId"]
    first, second = (ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"] for _ in "ab")
    association = ec2.associate_route_table(RouteTableId=first, SubnetId=subnet)["AssociationId"]
    if side == "on":
        with pytest.raises(botocore.exceptions.ClientError) as refused:
            ec2.associate_route_table(RouteTableId=second, SubnetId=subnet)
        assert error_code(refused) == "Resource.AlreadyAssociated"
    else:  # moto answers with the existing association: nothing moved
        again = ec2.associate_route_table(RouteTableId=second, SubnetId=subnet)
        assert again["AssociationId"] == association
    ec2.replace_route_table_association(AssociationId=association, RouteTableId=second)
    tables = ec2.describe_route_tables(
        Filters=[{"Name": "association.subnet-id", "Values": [subnet]}]
    )["RouteTables"]
    assert [t["RouteTableId"] for t in tables] == [second]
