"""RunInstances is idempotent by ClientToken, as EC2 documents it.

https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html: a repeated request with
the same client token and the same parameters returns the first request's result and launches
nothing (also once that instance is terminated); the same token with different parameters answers
`IdempotentParameterMismatch`. moto launches again every time.
"""

from __future__ import annotations

from awsarch.adapters.emulator.layer import Answer, Behaviour, Call, Clock, ec2_error

IGNORED = frozenset({"ClientToken", "Version"})


class ClientToken(Behaviour):
    name = "client_token"
    services = frozenset({"ec2"})

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock)
        self._launched: dict[tuple[str, str], tuple[tuple[tuple[str, str], ...], Answer]] = {}

    def serial(self, call: Call) -> bool:
        """Two launches with one token at once launch once, as on AWS."""
        return call.action == "RunInstances" and bool(call.params.get("ClientToken"))

    def before(self, call: Call) -> Answer | None:
        token = call.params.get("ClientToken")
        if call.action != "RunInstances" or not token:
            return None
        with self.lock:
            earlier = self._launched.get((call.region, token))
        if earlier is None:
            return None
        parameters, answer = earlier
        if parameters != _parameters(call):
            return ec2_error(
                "IdempotentParameterMismatch",
                f"The client token {token} was already used with different parameters.",
            )
        return answer

    def after(self, call: Call, answer: Answer) -> Answer:
        token = call.params.get("ClientToken")
        if call.action == "RunInstances" and token:
            with self.lock:
                self._launched[(call.region, token)] = (_parameters(call), answer)
        return answer


def _parameters(call: Call) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, v) for k, v in call.params.items() if k not in IGNORED))
