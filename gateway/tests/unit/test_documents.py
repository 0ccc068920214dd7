from gateway_service.main import create_app
from gateway_service.routing.docs import merge_openapi
from gateway_service.settings import GatewaySettings


def test_service_paths_and_schemas_are_prefixed_and_their_refs_rewritten() -> None:
    own = {"openapi": "3.1.0", "info": {"title": "gw"}, "paths": {"/oauth/token": {}}, "components": {}}
    enrolment = {
        "info": {"description": "people"},
        "paths": {
            "/v1/things/{id}": {
                "get": {
                    "tags": ["things"],
                    "operationId": "get_thing",
                    "responses": {
                        "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
                    },
                }
            },
            "/health/live": {"get": {"responses": {}}},
        },
        "components": {"schemas": {"Thing": {"properties": {"part": {"$ref": "#/components/schemas/Part"}}}}},
    }
    merged = merge_openapi(own, {"enrolment": enrolment, "training": None})
    assert set(merged["paths"]) == {"/oauth/token", "/api/enrolment/v1/things/{id}"}
    operation = merged["paths"]["/api/enrolment/v1/things/{id}"]["get"]
    assert operation["operationId"] == "enrolment_get_thing"
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] == (
        "#/components/schemas/EnrolmentThing"
    )
    thing = merged["components"]["schemas"]["EnrolmentThing"]
    assert thing["properties"]["part"]["$ref"] == "#/components/schemas/EnrolmentPart"
    assert merged["info"]["x-hope-unavailable-services"] == ["training"]
    flow = merged["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]
    assert set(flow["scopes"]) == {"enrolment:read", "enrolment:write", "training:read", "training:write"}
    assert operation["security"] == [{"oauth2": ["enrolment:read"]}, {"HTTPBearer": []}]


def test_links_between_a_services_operations_follow_their_new_names() -> None:
    own = {"openapi": "3.1.0", "info": {"title": "gw"}, "paths": {}, "components": {}}
    link = {"operationId": "read_person", "parameters": {"id": "$response.body#/id"}}
    enrolment = {
        "paths": {
            "/v1/people": {"post": {"operationId": "register", "responses": {"201": {"links": {"Read": link}}}}},
            "/v1/people/{id}": {"get": {"operationId": "read_person", "responses": {"200": {}}}},
        }
    }
    merged = merge_openapi(own, {"enrolment": enrolment})
    register = merged["paths"]["/api/enrolment/v1/people"]["post"]
    target = register["responses"]["201"]["links"]["Read"]["operationId"]
    operation_ids = {op["operationId"] for item in merged["paths"].values() for op in item.values()}
    assert target == "enrolment_read_person"
    assert target in operation_ids


def test_the_changes_that_could_lock_the_operator_out_document_their_409() -> None:
    paths = create_app(GatewaySettings(environment="test")).openapi()["paths"]
    for path, method in [
        ("/admin/v1/organisations/{org_id}", "patch"),
        ("/admin/v1/clients/{client_id}", "patch"),
        ("/admin/v1/clients/{client_id}/revoke", "post"),
    ]:
        assert "application/problem+json" in paths[path][method]["responses"]["409"]["content"]
