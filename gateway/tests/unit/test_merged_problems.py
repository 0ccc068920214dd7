"""The merged document keeps each service's problem answers and adds the gateway's own to every service route."""

from fastapi import FastAPI

from gateway_service.routing.docs import merge_openapi
from hopekit.api.openapi import install_truthful_openapi
from hopekit.api.problems import PROBLEM_MEDIA_TYPE


def kit_document(route: str) -> dict[str, object]:
    app = FastAPI()
    install_truthful_openapi(app)

    @app.get(route)
    async def read(thing_id: int) -> dict[str, int]:
        return {"id": thing_id}

    return app.openapi()


def test_a_service_route_through_the_gateway_documents_the_services_and_the_gateways_problems() -> None:
    own = kit_document("/own/{thing_id}")
    service = kit_document("/v1/things/{thing_id}")

    merged = merge_openapi(own, {"enrolment": service})

    answers = merged["paths"]["/api/enrolment/v1/things/{thing_id}"]["get"]["responses"]
    schemas = merged["components"]["schemas"]
    assert answers["404"]["content"][PROBLEM_MEDIA_TYPE]["schema"] == {"$ref": "#/components/schemas/EnrolmentProblem"}
    for status in ("401", "403", "429", "502", "503", "504"):
        assert PROBLEM_MEDIA_TYPE in answers[status]["content"], status
    assert answers["503"]["content"][PROBLEM_MEDIA_TYPE]["schema"] == {"$ref": "#/components/schemas/Problem"}
    assert {"Problem", "EnrolmentProblem", "EnrolmentProblemFieldError"} <= set(schemas)
    assert "HTTPValidationError" not in schemas
    assert "EnrolmentHTTPValidationError" not in schemas
