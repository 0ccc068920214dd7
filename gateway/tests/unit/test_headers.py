import pytest

from gateway_service.routing.headers import downstream_response_headers, is_identity_header, upstream_request_headers
from gateway_service.routing.service_client import Origin


def test_identity_headers_are_recognised() -> None:
    for name in ("x-org-id", "x-forwarded-user", "forwarded", "x-forwarded-for", "x-principal", "remote-user"):
        assert is_identity_header(name)
    for name in ("authorization", "content-type", "idempotency-key", "accept"):
        assert not is_identity_header(name)


def test_upstream_headers_drop_identity_and_hop_by_hop_and_set_request_context() -> None:
    incoming = [
        (b"Host", b"gateway"),
        (b"Connection", b"keep-alive"),
        (b"X-Org-Id", b"1"),
        (b"X-Request-ID", b"spoofed"),
        (b"X-Forwarded-Prefix", b"/spoofed"),
        (b"Authorization", b"Bearer t"),
        (b"Idempotency-Key", b"k"),
    ]
    out = dict(upstream_request_headers(incoming, "rid", "00-aa-bb-01", "/api/enrolment"))
    assert out == {
        b"Authorization": b"Bearer t",
        b"Idempotency-Key": b"k",
        b"x-request-id": b"rid",
        b"traceparent": b"00-aa-bb-01",
        b"x-forwarded-prefix": b"/api/enrolment",
    }


def test_response_headers_keep_repeated_values_and_drop_the_gateways_own() -> None:
    upstream = [
        (b"set-cookie", b"a=1"),
        (b"set-cookie", b"b=2"),
        (b"x-request-id", b"x"),
        (b"transfer-encoding", b"chunked"),
    ]
    assert downstream_response_headers(upstream, ORIGIN, b"/api/enrolment") == [
        (b"set-cookie", b"a=1"),
        (b"set-cookie", b"b=2"),
    ]


ORIGIN = Origin.parse("http://10.0.0.7:8101")


@pytest.mark.parametrize(
    ("location", "public"),
    [
        (b"http://10.0.0.7:8101/v1/sectors?x=1", b"/api/enrolment/v1/sectors?x=1"),
        (b"HTTP://10.0.0.7:8101", b"/api/enrolment/"),
        (b"//10.0.0.7:8101/v1/a", b"/api/enrolment/v1/a"),
        (b"/v1/beneficiaries/1", b"/api/enrolment/v1/beneficiaries/1"),
        (b"sessions/2", b"sessions/2"),
        (b"https://www.service-public.fr/x", b"https://www.service-public.fr/x"),
    ],
)
def test_a_location_naming_the_service_is_made_the_path_through_the_gateway(location: bytes, public: bytes) -> None:
    answer = [(b"Location", location), (b"content-location", location)]
    assert downstream_response_headers(answer, ORIGIN, b"/api/enrolment") == [
        (b"Location", public),
        (b"content-location", public),
    ]


def test_a_location_under_the_service_address_path_loses_that_path() -> None:
    prefixed = Origin.parse("http://10.0.0.7:8101/inner")
    answer = [(b"location", b"http://10.0.0.7:8101/inner/v1/a")]
    assert downstream_response_headers(answer, prefixed, b"/api/enrolment") == [(b"location", b"/api/enrolment/v1/a")]


def test_header_names_with_underscores_are_not_passed_to_the_service() -> None:
    sent = upstream_request_headers(
        [(b"x_forwarded_prefix", b"/evil"), (b"transfer_encoding", b"chunked"), (b"x-ok", b"1")], "rid", "tp", "/api/x"
    )
    assert (b"x-ok", b"1") in sent
    assert not any(b"_" in name for name, _ in sent)
