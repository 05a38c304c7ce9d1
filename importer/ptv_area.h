// The area a PTV service declares → tnohaku's Area.
//
//   areaType Nationwide, NationwideExceptAlandIslands → national
//   areas[] of type Municipality                      → municipalities (3-digit codes)
//   areas[] of type Region or Province (maakunta)     → regions (2-digit codes)
//   other area types (BusinessRegions, HospitalRegions, …) → the municipalities they list;
//                                                       without a list, skipped with a warning
// Codes the vocabulary does not know are dropped with a warning (naming the municipality
// PTV gave with the code). Codes come out sorted and unique.
//
// Thread safety: pure apart from the messages it reports.
#pragma once

#include <rapidjson/document.h>

#include "core/record.h"
#include "importer/ptv_service.h"

namespace tnohaku::importer {

Area ReadArea(const rapidjson::Value& service, const ServiceContext& ctx);

}  // namespace tnohaku::importer
