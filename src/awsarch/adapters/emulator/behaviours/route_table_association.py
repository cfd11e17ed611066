"""A subnet is associated with one route table at a time: a second AssociateRouteTable fails.

https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateRouteTable.html and the EC2
error codes (`Resource.AlreadyAssociated`): moving a subnet to another table is
ReplaceRouteTableAssociation. moto answers with the subnet's existing association instead, so an
engine that "repairs" with AssociateRouteTable would seem to succeed and change nothing.
"""

from __future__ import annotations

from awsarch.adapters.emulator.behaviours.backends import ec2_backend
from awsarch.adapters.emulator.layer import Answer, Behaviour, Call, ec2_error


class RouteTableAssociation(Behaviour):
    name = "route_table_association"
    services = frozenset({"ec2"})

    def before(self, call: Call) -> Answer | None:
        subnet = call.params.get("SubnetId", "")
        if call.action != "AssociateRouteTable" or not subnet:
            return None
        for table in list(ec2_backend(call.region).route_tables.values()):
            for association, target in list(table._associations.items()):
                if target == subnet:
                    table_id = call.params.get("RouteTableId")
                    return ec2_error(
                        "Resource.AlreadyAssociated",
                        f"the specified association for route table {table_id} conflicts with"
                        f" an existing association {association}",
                    )
        return None
