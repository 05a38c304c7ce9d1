// A small index for the search tests, built in a temporary folder with DocumentBuilder
// (not the indexer program): records varied in area (national, region 17 whole, Kempele
// 244, Oulu 564, Vaasa 905, Helsinki 091), hierarchical multi-valued codes, periods
// relative to today, locations, and awkward text.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <xapian.h>

#include "core/dates.h"
#include "core/document.h"
#include "core/index_format.h"
#include "core/searcher.h"
#include "core/vocab.h"
#include "test_support.h"

namespace tnohaku::testing {

inline std::string Days(int delta) {
    return FormatDay(TodayInHelsinki() + delta);
}

inline Location At(double lat, double lon, std::string municipality = "") {
    Location l;
    l.lat = lat;
    l.lon = lon;
    l.municipality = std::move(municipality);
    return l;
}

inline const GeoPoint kOulu{65.0129, 25.4713};
inline const GeoPoint kKempele{64.9128, 25.5087};
inline const GeoPoint kVaasa{63.0951, 21.6165};
inline const GeoPoint kHelsinki{60.1699, 24.9384};

inline std::vector<Record> SearchTestRecords() {
    std::vector<Record> out;
    auto add = [&](std::string id, std::string type, std::string name_fi) -> Record& {
        Record r;
        r.id = std::move(id);
        r.type = std::move(type);
        r.name.fi = std::move(name_fi);
        out.push_back(std::move(r));
        return out.back();
    };
    {
        Record& r = add("ohjaamo-oulu", "service", "Ohjaamo Oulu");
        r.name.sv = "Navigatorn Uleåborg";
        r.summary.fi = "Nuorten palvelupiste alle 30-vuotiaille.";
        r.area.municipalities = {"564"};
        r.target_groups = {"youth"};
        r.themes = {"career-guidance"};
        r.channels = {"face-to-face", "online"};
        r.service_languages = {"fi", "en"};
        r.funding = {"municipality"};
        r.organisations = {{"oulun-kaupunki", "Oulun kaupunki", "provider"}};
        r.period.start = "2015";
        r.locations = {At(65.0129, 25.4713, "564")};
        r.updated = "2024-05-01";
    }
    {
        Record& r = add("nuoret-tyoelamaan", "project", "Nuoret työelämään");
        r.summary.fi = "Hanke auttaa nuoria työllistymään.";
        r.area.regions = {"17"};
        r.target_groups = {"youth", "students-upper-secondary"};
        r.themes = {"job-search"};
        r.funding = {"esr-plus"};
        r.organisations = {{"", "Pohjois-Pohjanmaan liitto", "coordinator"}};
        r.period = {"2023-01", Days(200)};
        r.updated = "2025-02-10";
    }
    {
        Record& r = add("tyollisyyspalvelut-kempele", "service", "Kempeleen työllisyyspalvelut");
        r.summary.fi = "Työnhakijoiden neuvonta ja ohjaus.";
        r.area.municipalities = {"244"};
        r.target_groups = {"unemployed", "long-term-unemployed"};
        r.themes = {"employment-services"};
        r.channels = {"face-to-face"};
        r.organisations = {{"kempeleen-kunta", "Kempeleen kunta", "provider"}};
        r.locations = {At(64.9128, 25.5087, "244")};
        r.updated = "2024-05-01";
    }
    {
        Record& r = add("digitaalinen-palvelu", "service", "Digitaalinen palvelu");
        r.summary.fi = "Ohjausta verkossa kaikenikäisille.";
        r.area.national = true;
        r.channels = {"online", "chat"};
        r.target_groups = {"KR1"};
        r.themes = {"digital"};
        r.funding = {"state"};
    }
    {
        Record& r = add("etsiva-nuorisotyo-vaasa", "service", "Etsivä nuorisotyö Vaasa");
        r.name.sv = "Uppsökande ungdomsarbete Vasa";
        r.summary.fi = "Tavoittaa nuoret, jotka ovat koulutuksen ja työn ulkopuolella.";
        r.area.municipalities = {"905"};
        r.target_groups = {"youth"};
        r.themes = {"outreach-youth-work"};
        r.channels = {"outreach", "phone"};
        r.service_languages = {"fi", "sv"};
        r.organisations = {{"vaasan-kaupunki", "Vaasan kaupunki", "provider"}};
        r.locations = {At(63.0951, 21.6165, "905")};
    }
    {
        Record& r = add("opo-koulutus", "project", "Opinto-ohjaajien täydennyskoulutus");
        r.summary.fi = "Koulutusta ohjaajille.";
        r.area.national = true;
        r.target_groups = {"guidance-staff"};
        r.themes = {"study-guidance", "guidance-development"};
        r.funding = {"okm"};
        r.organisations = {{"oph", "Opetushallitus", "funder"}};
        r.period = {"2022-08", "2023-12"};
    }
    {
        Record& r = add("opintoluotsi-chat", "service", "Opintoluotsin chat");
        r.name.en = "Study guide chat";
        r.area.national = true;
        r.channels = {"chat", "online"};
        r.target_groups = {"students"};
        r.themes = {"study-guidance"};
        r.period.start = Days(30);
        r.organisations = {{"oph", "Opetushallitus", "provider"}};
    }
    {
        Record& r = add("script-record", "network",
                        "Vaarallinen <script>alert(\"x\")</script> & \"lainaus\" 'yksi'");
        r.summary.fi = "Testi <b>lihava</b> & muuta.";
        r.area.municipalities = {"564"};
        r.period.end = Days(-10);
    }
    {
        Record& r = add("uravalmennus", "programme", "Uravalmennuslinjat");
        r.summary.fi = "Valmennusta aikuisille.";
        r.description.fi =
            "Tämä kuvaus on pitkä ja sisältää paljon sanoja ennen kuin asia alkaa. Yksi kaksi "
            "kolme "
            "neljä viisi kuusi seitsemän kahdeksan yhdeksän kymmenen yksitoista kaksitoista "
            "kolmetoista neljätoista viisitoista kuusitoista seitsemäntoista kahdeksantoista "
            "yhdeksäntoista kaksikymmentä. Kotoutumisen tuki on tärkeä osa valmennusta. Sen "
            "jälkeen "
            "tulee vielä monta sanaa: aamu ilta päivä yö viikko kuukausi vuosi vuosikymmen "
            "vuosisata hetki tuokio aika kausi jakso vaihe kerta lopuksi loppu.";
        r.area.regions = {"15"};
        r.target_groups = {"employed-adults", "aged-50-plus"};
        r.themes = {"career-guidance", "continuous-learning"};
        r.funding = {"esr-plus", "ely"};
        r.period.start = "2024";
        r.updated = "2026-01-01";
    }
    {
        Record& r = add("maahanmuuttajien-neuvonta", "service", "Maahanmuuttajien neuvonta");
        r.summary.fi = "Neuvontaa kotoutumiseen.";
        r.area.municipalities = {"564"};
        r.target_groups = {"immigrants"};
        r.themes = {"integration"};
        r.service_languages = {"fi", "ar", "so"};
        r.organisations = {{"oulun-kaupunki", "Oulun kaupunki", "provider"}};
        r.locations = {At(65.0100, 25.4800, "564")};
    }
    {
        Record& r = add("aikuisten-neuvonta", "service", "Aikuisten neuvonta");
        r.summary.fi = "Neuvontaa aikuisille, myös uravalmennus.";
        r.description.fi = "Palvelemme myös maahanmuuttajia ja heidän perheitään.";
        r.area.municipalities = {"244"};
        r.target_groups = {"employed-adults"};
        r.themes = {"career-guidance"};
    }
    {
        Record& r = add("ohjausverkosto", "network", "Pohjois-Pohjanmaan ohjausverkosto");
        r.summary.fi = "Alueen ohjaustoimijoiden verkosto.";
        r.area.regions = {"17"};
        r.area.municipalities = {"564", "905"};  // region 17 whole and Oulu; Vaasa too
        r.target_groups = {"guidance-staff"};
        r.themes = {"coordinated", "guidance-development"};
        r.period = {"2019", "2024"};
        r.organisations = {{"", "Pohjois-Pohjanmaan liitto", "coordinator"}};
        r.updated = "2024-12-01";
    }
    {
        Record& r = add("tyoelamapalvelut-verkossa", "service", "Työelämäpalvelut verkossa");
        r.summary.fi = "Palveluja työnantajille.";
        r.area.national = true;
        r.area.regions = {"17"};  // national, and says region 17 too
        r.target_groups = {"employers"};
        r.themes = {"recruitment"};
        r.channels = {"online"};
        r.funding = {"tem"};
    }
    {
        Record& r = add("perhevapaa-kempele-oulu", "project", "Perhevapaalta töihin");
        r.summary.fi = "Tukea perhevapaalta palaaville.";
        r.area.municipalities = {"244", "564"};
        r.target_groups = {"family-leave", "women"};
        r.themes = {"wellbeing", "transitions"};
        r.funding = {"esr-plus"};
        r.locations = {At(64.9128, 25.5087, "244"), At(65.0129, 25.4713, "564")};
        r.period = {"2025-03", "2027-06"};
    }
    {
        Record& r = add("studiehandledning-vasa", "service", "");
        r.name.sv = "Studiehandledning i Vasa";
        r.summary.sv = "Handledning för högskolestuderande.";
        r.area.municipalities = {"905"};
        r.target_groups = {"students-higher"};
        r.themes = {"study-guidance"};
        r.service_languages = {"sv"};
        r.locations = {At(63.1000, 21.6000, "905")};
    }
    {
        Record& r = add("helsingin-ohjaamo", "service", "Helsingin Ohjaamo");
        r.summary.fi = "Nuorten ohjaamo pääkaupungissa.";
        r.area.municipalities = {"091"};
        r.target_groups = {"youth"};
        r.themes = {"career-guidance", "wellbeing"};
        r.channels = {"face-to-face"};
        r.organisations = {{"helsingin-kaupunki", "Helsingin kaupunki", "provider"}};
        r.locations = {At(60.1699, 24.9384, "091")};
        r.updated = "2023-01-15";
    }
    {
        Record& r = add("verkko-ohjaus", "service", "Verkko-ohjaus kaikille");
        r.summary.fi = "Ohjausta verkossa.";
        r.area.national = true;
        r.target_groups = {"KR1"};
        r.themes = {"digital", "accessible"};
        r.channels = {"online"};
        r.service_languages = {"fi", "sv", "en"};
    }
    {
        Record& r = add("kevat-kurssi", "project", "Kevään kurssi");
        r.summary.fi = "Kurssi keväällä 2025.";
        r.area.regions = {"17"};
        r.period = {"2025-03", "2025-06"};
        r.target_groups = {"students-basic"};
        r.themes = {"study-guidance"};
    }
    return out;
}

// Writes `records` as generation `generation` in `dir` and points CURRENT at it.
inline void WriteGeneration(const std::string& dir, uint64_t generation,
                            const std::vector<Record>& records, const Vocabulary& vocab,
                            const std::string& format = index_format::kFormatVersion) {
    auto builder = DocumentBuilder::Create(vocab);
    REQUIRE_MESSAGE(builder.ok(), builder.status().message());
    char name[32];
    std::snprintf(name, sizeof name, "gen-%06llu", static_cast<unsigned long long>(generation));
    Xapian::WritableDatabase db(dir + "/" + name, Xapian::DB_CREATE_OR_OVERWRITE);
    for (const Record& r : records) {
        BuiltDocument built = (*builder)->Build(r);
        db.replace_document(built.id_term, built.document);
        for (const auto& w : built.spelling_words) db.add_spelling(w);
    }
    db.set_metadata(index_format::kMetaFormat, format);
    db.set_metadata(index_format::kMetaGeneration, std::to_string(generation));
    db.set_metadata(index_format::kMetaCreated, "2026-01-01T00:00:00Z");
    db.commit();
    db.close();
    WriteFile(dir + "/CURRENT.tmp", std::string("auto ") + name + "\n");
    std::filesystem::rename(dir + "/CURRENT.tmp", dir + "/CURRENT");
}

// One index and searcher per test process (building it takes a few milliseconds; opening
// a searcher starts Voikko).
struct SearchIndex {
    TempDir dir;
    std::shared_ptr<const Vocabulary> vocab;
    std::vector<Record> records;
    std::unique_ptr<Searcher> searcher;

    static SearchIndex& Get() {
        static std::unique_ptr<SearchIndex> index = [] {
            auto s = std::make_unique<SearchIndex>();
            s->vocab = Vocabulary::LoadEmbedded().value();
            s->records = SearchTestRecords();
            WriteGeneration(s->dir.path().string(), 1, s->records, *s->vocab);
            SearcherOptions options;
            options.index_dir = s->dir.path().string();
            options.vocab = s->vocab;
            auto searcher = Searcher::Open(options);
            REQUIRE_MESSAGE(searcher.ok(), searcher.status().message());
            s->searcher = std::move(searcher).value();
            return s;
        }();
        return *index;
    }
    const Record& Find(const std::string& id) const {
        for (const auto& r : records) {
            if (r.id == id) return r;
        }
        FAIL("no record " << id);
        return records.front();
    }
};

// A small deterministic generator for request combinations.
struct Lcg {
    uint64_t state;
    size_t Pick(size_t n) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<size_t>((state >> 33) % n);
    }
    template <typename T>
    const T& From(const std::vector<T>& options) {
        return options[Pick(options.size())];
    }
};

inline std::vector<std::string> Ids(const SearchResult& result) {
    std::vector<std::string> ids;
    for (const auto& h : result.hits) ids.push_back(h.id);
    return ids;
}

inline SearchResult MustSearch(const SearchRequest& request) {
    auto result = SearchIndex::Get().searcher->Search(request);
    REQUIRE_MESSAGE(result.ok(), result.status().message());
    return std::move(result).value();
}

}  // namespace tnohaku::testing
