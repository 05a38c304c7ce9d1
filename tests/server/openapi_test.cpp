// The OpenAPI document against the real server: every documented parameter is accepted
// (with its example value), and real responses carry every documented field with the
// documented type.
#include <filesystem>
#include <set>

#include <doctest/doctest.h>
#include <httplib.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include "server/server_process.h"
#include "test_support.h"

namespace tnohaku::testing {
namespace {

using Value = rapidjson::Value;

rapidjson::Document Json(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    return doc;
}

std::string Str(const Value& v) {
    return v.IsString() ? std::string(v.GetString(), v.GetStringLength()) : "";
}

// Follows "$ref": "#/components/..." inside the document.
const Value& Resolve(const rapidjson::Document& doc, const Value& v) {
    if (v.IsObject() && v.HasMember("$ref")) {
        std::string ref = Str(v["$ref"]);
        const Value* target = rapidjson::Pointer(ref.substr(1).c_str()).Get(doc);
        REQUIRE_MESSAGE(target, ref);
        return Resolve(doc, *target);
    }
    return v;
}

// A small validator for the parts of OpenAPI 3.0 schemas the document uses: $ref, allOf,
// nullable, type, enum, required, properties, items, additionalProperties.
class Validator {
  public:
    explicit Validator(const rapidjson::Document& doc) : doc_(doc) {}
    std::vector<std::string> errors;
    std::set<std::string> seen;  // "Schema.property" paths met in responses

    void Check(const Value& value, const Value& schema_ref, const std::string& where) {
        const Value& schema = Resolve(doc_, schema_ref);
        std::string name =
            schema_ref.IsObject() && schema_ref.HasMember("$ref") ? Str(schema_ref["$ref"]) : where;
        if (schema.HasMember("allOf")) {
            for (const auto& part : schema["allOf"].GetArray()) {
                if (!(value.IsNull() && schema.HasMember("nullable"))) Check(value, part, where);
            }
        }
        if (value.IsNull()) {
            if (!schema.HasMember("nullable") || !schema["nullable"].GetBool())
                errors.push_back(where + ": null");
            return;
        }
        std::string type = schema.HasMember("type") ? Str(schema["type"]) : std::string();
        if (!type.empty() && !HasType(value, type)) errors.push_back(where + ": not " + type);
        if (schema.HasMember("enum") && value.IsString()) {
            bool found = false;
            for (const auto& e : schema["enum"].GetArray()) found = found || Str(e) == Str(value);
            if (!found) errors.push_back(where + ": " + Str(value) + " not in enum");
        }
        if (value.IsObject()) CheckObject(value, schema, name, where);
        if (value.IsArray() && schema.HasMember("items")) {
            size_t i = 0;
            for (const auto& item : value.GetArray())
                Check(item, schema["items"], where + "[" + std::to_string(i++) + "]");
        }
    }

  private:
    static bool HasType(const Value& v, const std::string& type) {
        if (type == "object") return v.IsObject();
        if (type == "array") return v.IsArray();
        if (type == "string") return v.IsString();
        if (type == "integer") return v.IsInt64() || v.IsUint64();
        if (type == "number") return v.IsNumber();
        if (type == "boolean") return v.IsBool();
        return false;
    }

    void CheckObject(const Value& value, const Value& schema, const std::string& name,
                     const std::string& where) {
        if (schema.HasMember("required")) {
            for (const auto& key : schema["required"].GetArray()) {
                if (!value.HasMember(key)) errors.push_back(where + ": missing " + Str(key));
            }
        }
        if (schema.HasMember("properties")) {
            for (const auto& p : schema["properties"].GetObject()) {
                std::string key(p.name.GetString(), p.name.GetStringLength());
                if (!value.HasMember(key.c_str())) continue;
                seen.insert(name + "." + key);
                Check(value[key.c_str()], p.value, where + "." + key);
            }
        }
        if (schema.HasMember("additionalProperties") && schema["additionalProperties"].IsObject()) {
            for (const auto& m : value.GetObject()) {
                std::string key(m.name.GetString(), m.name.GetStringLength());
                if (schema.HasMember("properties") && schema["properties"].HasMember(key.c_str()))
                    continue;
                Check(m.value, schema["additionalProperties"], where + "." + key);
            }
        }
    }

    const rapidjson::Document& doc_;
};

// A parameter's example as it goes into a query string (arrays as comma lists).
std::string ExampleText(const Value& example) {
    if (example.IsString()) return Str(example);
    if (example.IsInt64()) return std::to_string(example.GetInt64());
    if (example.IsNumber()) return std::to_string(example.GetDouble());
    std::string out;
    if (example.IsArray()) {
        for (const auto& item : example.GetArray()) {
            if (!out.empty()) out += ',';
            out += Str(item);
        }
    }
    return out;
}

struct Fixture {
    TempDir dir;
    std::string db = BuildFixtureIndex(dir.path().string());
    std::unique_ptr<ServerProcess> server;
    std::unique_ptr<httplib::Client> client;
    rapidjson::Document doc;

    Fixture() {
        std::filesystem::create_directories(dir.path() / "web");
        WriteFile(dir / "web/index.html", "<!doctype html><title>t</title>");
        server = std::make_unique<ServerProcess>(
            db, dir / "server.log", std::vector<std::string>{"--web-dir", dir / "web"});
        REQUIRE_MESSAGE(server->started(), server->Log());
        client = std::make_unique<httplib::Client>("127.0.0.1", server->port());
        auto r = client->Get("/openapi.json");
        REQUIRE(r);
        doc.Parse(r->body.data(), r->body.size());
        REQUIRE_FALSE(doc.HasParseError());
    }

    const Value& ResponseSchema(const char* path, const char* status) {
        const Value& responses = doc["paths"][path]["get"]["responses"];
        REQUIRE_MESSAGE(responses.HasMember(status), path, " ", status);
        return responses[status]["content"]["application/json"]["schema"];
    }
};

TEST_CASE("every documented parameter is accepted with its example value") {
    Fixture f;
    size_t checked = 0;
    for (const auto& path : f.doc["paths"].GetObject()) {
        std::string template_path = path.name.GetString();
        std::string concrete = template_path;
        httplib::Params all;
        const Value& get = path.value["get"];
        if (get.HasMember("parameters")) {
            for (const auto& p_ref : get["parameters"].GetArray()) {
                const Value& p = Resolve(f.doc, p_ref);
                std::string name = Str(p["name"]), in = Str(p["in"]);
                if (in == "path") {
                    REQUIRE_MESSAGE(p.HasMember("example"), template_path, " ", name);
                    concrete.replace(concrete.find("{" + name + "}"), name.size() + 2,
                                     Str(p["example"]));
                    continue;
                }
                if (in != "query") continue;
                REQUIRE_MESSAGE(p.HasMember("example"), template_path, " ", name,
                                " has no example");
                std::string value = ExampleText(p["example"]);
                all.emplace(name, value);
            }
        }
        // Each query parameter alone, then all of them together.
        for (const auto& [name, value] : all) {
            httplib::Params one{{name, value}};
            if (name == "radius_km") one.emplace("near", "65.01,25.47");
            auto r = f.client->Get(concrete, one, {});
            REQUIRE(r);
            CAPTURE(template_path);
            CAPTURE(name);
            CAPTURE(value);
            CHECK_MESSAGE(r->status == 200, r->body);
            ++checked;
        }
        auto r = f.client->Get(concrete, all, {});
        REQUIRE(r);
        CAPTURE(concrete);
        CHECK_MESSAGE(r->status == 200, r->body);
    }
    CHECK(checked >= 25);
    CHECK(f.server->Stop() == 0);
}

TEST_CASE("real responses carry every documented field with its documented type") {
    Fixture f;
    Validator v(f.doc);
    auto check = [&](const char* doc_path, const std::string& request, const char* status = "200") {
        auto r = f.client->Get(request);
        REQUIRE(r);
        CAPTURE(request);
        REQUIRE(std::to_string(r->status) == status);
        auto body = Json(r->body);
        REQUIRE_FALSE(body.HasParseError());
        v.Check(body, f.ResponseSchema(doc_path, status), request);
    };
    check("/v1/search", "/v1/search?q=ohjaamo");
    check("/v1/search", "/v1/search?near=65.0,25.5&sort=distance&limit=100");
    check("/v1/search", "/v1/search?limit=100&lang=sv&facet_limit=2");
    check("/v1/search", "/v1/search?limit=1000", "400");
    check("/v1/records/{id}", "/v1/records/ohjaamo-oulu");
    check("/v1/records/{id}", "/v1/records/no-such-record", "404");
    check("/v1/facets", "/v1/facets?lang=en");
    check("/v1/suggest", "/v1/suggest?q=ohj");
    check("/health", "/health");
    check("/ready", "/ready");
    for (const auto& e : v.errors) FAIL_CHECK(e);

    // Every property of the search response and of a hit was met, except those only sent
    // in conditions the fixture does not create.
    const std::set<std::string> conditional = {"did_you_mean"};
    for (const char* schema : {"SearchResponse", "Hit", "Query", "Location", "FacetValue"}) {
        const Value& props = f.doc["components"]["schemas"][schema]["properties"];
        for (const auto& p : props.GetObject()) {
            std::string key = p.name.GetString();
            if (conditional.count(key)) continue;
            CAPTURE(schema);
            CAPTURE(key);
            CHECK(v.seen.count("#/components/schemas/" + std::string(schema) + "." + key) == 1);
        }
    }
    CHECK(f.server->Stop() == 0);
}

}  // namespace
}  // namespace tnohaku::testing
