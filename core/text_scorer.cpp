#include "core/text_scorer.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <queue>
#include <span>

namespace tnohaku {

namespace {

// BM25Weight's defaults in Xapian 1.4 (k2 = 0: no extra per document; k3 = 1 with wqf 1:
// a query-term factor of 1).
constexpr double kK1 = 1;
constexpr double kB = 0.5;
constexpr double kMinNormLength = 0.5;

// Docids are weighed in blocks of this many: each operator keeps one block of values,
// so a pass needs a few hundred KiB whatever the size of the index.
constexpr uint32_t kBlock = 4096;

// Candidates: members within this share of the want-th best sum (sums differ from
// Xapian's weights by a few units in the last place; this is many orders more).
constexpr double kMargin = 1e-9;

constexpr double kNoMatch = -1;  // weights are > 0; a block value below 0 is no match

// OP_SCALE_WEIGHT's factor, which Xapian::Query prints first in its description:
// "Query(0.39000000000000001332 * ...)".
std::optional<double> ScaleFactor(const Xapian::Query& query) {
    const std::string description = query.get_description();
    const std::string head = "Query(";
    if (description.compare(0, head.size(), head) != 0) return std::nullopt;
    const char* begin = description.c_str() + head.size();
    char* end = nullptr;
    const double factor = std::strtod(begin, &end);
    if (end == begin || std::string_view(end).substr(0, 3) != " * ") return std::nullopt;
    return factor;
}

// Xapian's estimate of how many documents an OR of terms matches: the OR tree is built
// as a Huffman tree (the two least frequent first), each node estimated as independent,
// l + r - l·r/N, rounded to a count.
double SynonymTermFreq(std::vector<Xapian::doccount> freqs, double doccount) {
    std::priority_queue<Xapian::doccount, std::vector<Xapian::doccount>, std::greater<>> heap(
        freqs.begin(), freqs.end());
    while (heap.size() > 1) {
        const double r = heap.top();
        heap.pop();
        const double l = heap.top();
        heap.pop();
        heap.push(static_cast<Xapian::doccount>(l + r - l * r / doccount + 0.5));
    }
    return heap.empty() ? 0 : heap.top();
}

}  // namespace

TextScorer::TextScorer(const Xapian::Database& db) : db_(&db), doccount_(db.get_doccount()) {
    const double avlength = db.get_avlength();
    inverse_avlength_ = avlength == 0 ? 0 : 1 / avlength;
}

std::optional<TextScorer> TextScorer::Compile(const Xapian::Database& db,
                                              const Xapian::Query& query) {
    TextScorer scorer(db);
    if (scorer.doccount_ == 0 || !scorer.Add(query, 1.0, scorer.root_)) return std::nullopt;
    return scorer;
}

// BM25Weight::init: the inverse document frequency, floored smoothly where a term is in
// more than a third of the documents, times the factor of the SCALE_WEIGHTs above it.
double TextScorer::TermWeight(double termfreq, double factor) const {
    double tw = (doccount_ - termfreq + 0.5) / (termfreq + 0.5);
    if (tw < 2) tw = tw * 0.5 + 1;
    return std::log(tw) * factor;
}

// A term's node (kNothing when the database does not have it); its postings are counted
// in what scoring reads.
TextScorer::Node TextScorer::TermNode(std::string term, double factor) {
    Node node;
    node.term = std::move(term);
    node.termfreq = db_->get_termfreq(node.term);
    if (node.termfreq > 0) {
        node.op = Op::kTerm;
        node.termweight = TermWeight(node.termfreq, factor);
        postings_ += node.termfreq;
    }
    return node;
}

uint32_t TextScorer::AddNode(Node node) {
    if (node.op == Op::kTerm) ++terms_;
    nodes_.push_back(std::move(node));
    return static_cast<uint32_t>(nodes_.size() - 1);
}

bool TextScorer::Add(const Xapian::Query& query, double factor, uint32_t& index) {
    switch (query.get_type()) {
        case Xapian::Query::LEAF_MATCH_NOTHING:
            index = AddNode({});
            return true;
        case Xapian::Query::LEAF_TERM: {
            if (query.get_length() != 1) return false;  // wqf other than 1
            index = AddNode(TermNode(*query.get_terms_begin(), factor));
            return true;
        }
        case Xapian::Query::OP_SCALE_WEIGHT: {
            const std::optional<double> scale = ScaleFactor(query);
            if (!scale || *scale <= 0 || query.get_num_subqueries() != 1) return false;
            return Add(query.get_subquery(0), factor * *scale, index);
        }
        case Xapian::Query::OP_SYNONYM:
            return AddSynonym(query, factor, index);
        case Xapian::Query::OP_OR:
        case Xapian::Query::OP_AND: {
            Node node;
            node.op = query.get_type() == Xapian::Query::OP_OR ? Op::kOr : Op::kAnd;
            for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
                uint32_t child = 0;
                if (!Add(query.get_subquery(i), factor, child)) return false;
                node.children.push_back(child);
            }
            index = AddNode(std::move(node));
            return true;
        }
        case Xapian::Query::OP_MAX: {
            Node node;
            node.op = Op::kMax;
            for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
                if (!AddMaxChild(query.get_subquery(i), factor, node.children)) return false;
            }
            index = AddNode(std::move(node));
            return true;
        }
        default:
            return false;
    }
}

// Xapian 1.4 builds an OP_MAX the way it builds an OP_OR, and takes the subqueries of an
// OP_OR directly beneath it into its own list: the maximum is over their parts, not over
// the OR's sum. (An OP_OR under an OP_SCALE_WEIGHT keeps its sum.)
bool TextScorer::AddMaxChild(const Xapian::Query& query, double factor,
                             std::vector<uint32_t>& children) {
    if (query.get_type() == Xapian::Query::OP_OR) {
        for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
            if (!AddMaxChild(query.get_subquery(i), factor, children)) return false;
        }
        return true;
    }
    uint32_t child = 0;
    if (!Add(query, factor, child)) return false;
    children.push_back(child);
    return true;
}

bool TextScorer::AddSynonym(const Xapian::Query& query, double factor, uint32_t& index) {
    Node node;
    node.op = Op::kSynonym;
    std::vector<Xapian::doccount> freqs;
    for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
        const Xapian::Query sub = query.get_subquery(i);
        if (sub.get_type() == Xapian::Query::LEAF_MATCH_NOTHING) continue;
        if (sub.get_type() != Xapian::Query::LEAF_TERM || sub.get_length() != 1) return false;
        Node term = TermNode(*sub.get_terms_begin(), factor);
        if (term.op == Op::kNothing) continue;
        freqs.push_back(term.termfreq);
        node.children.push_back(AddNode(std::move(term)));
    }
    if (node.children.empty()) {
        index = AddNode({});
        return true;
    }
    node.termweight = TermWeight(SynonymTermFreq(std::move(freqs), doccount_), factor);
    index = AddNode(std::move(node));
    return true;
}

// ---------------------------------------------------------------------------------------
// Scoring

// One walk over the docids of `within`, a block at a time: each term's postings are read
// in order once; each operator combines its children's values for the block. Work per
// block follows the matches, not the block's width: a node keeps the offsets it matched
// beside its values, and its parent reads only those (a prefix's hundred terms mostly
// match a few documents of a block each). A child left unevaluated in a block (after an
// AND's child matched nothing there) skips its postings over that block.
class TextScorer::Pass {
  public:
    Pass(const TextScorer& scorer, const Input& input)
        : scorer_(scorer), input_(input), blocks_(scorer.nodes_.size()), wdfs_(kBlock, 0) {
        for (const Node& node : scorer.nodes_) {
            if (node.op == Op::kTerm) {
                postings_.push_back(scorer.db_->postlist_begin(node.term));
            } else {
                postings_.emplace_back();
            }
        }
    }

    // Calls f(docid, weight) for every match of the block starting at `first`, in docid
    // order when `ordered`, else in no particular order.
    template <typename F>
    void Block(uint32_t first, bool ordered, F&& f) {
        const uint32_t end =
            static_cast<uint32_t>(std::min<size_t>(input_.within->size(), size_t{first} + kBlock));
        if (!Evaluate(scorer_.root_, first, end)) return;
        BlockValues& root = blocks_[scorer_.root_];
        const std::span<uint32_t> matched = root.Matched();
        if (ordered) std::sort(matched.begin(), matched.end());
        for (uint32_t i : matched) f(first + i, root.values[i]);
    }

  private:
    // A node's values for the current block: a weight at each of the `matched` offsets
    // listed first in `offsets`, kNoMatch at every other.
    struct BlockValues {
        std::vector<double> values;     // kBlock
        std::vector<uint32_t> offsets;  // kBlock + 1: a slot to write past the last
        uint32_t matched = 0;

        std::span<uint32_t> Matched() { return {offsets.data(), matched}; }
        std::span<const uint32_t> Matched() const { return {offsets.data(), matched}; }
        // Lists offset `i` when `fresh`, without a branch: whether a posting is the first
        // match at its offset is as good as random.
        void ListIf(uint32_t i, bool fresh) {
            offsets[matched] = i;
            matched += fresh ? 1 : 0;
        }
    };

    double Length(Xapian::docid d) const { return (*input_.lengths)[d]; }

    // BM25Weight::get_sumpart for a wdf in a document of `length`.
    double SumPart(double termweight, double wdf, double length) const {
        const double normlen = std::max(length * scorer_.inverse_avlength_, kMinNormLength);
        const double denom = kK1 * (normlen * kB + (1 - kB)) + wdf;
        return termweight * (wdf / denom) * (kK1 + 1);
    }

    // The node's values, emptied of the previous block's (allocated on first use: terms
    // combined straight from their postings never need any).
    BlockValues& Reset(uint32_t node) {
        BlockValues& b = blocks_[node];
        if (b.values.empty()) {
            b.values.assign(kBlock, kNoMatch);
            b.offsets.assign(kBlock + 1, 0);
        }
        for (uint32_t i : b.Matched()) b.values[i] = kNoMatch;
        b.matched = 0;
        return b;
    }

    // Calls f(offset in the block, wdf, docid) for the term's postings in [first, end)
    // that are members of `within`.
    template <typename F>
    void Postings(uint32_t node, uint32_t first, uint32_t end, F&& f) {
        Xapian::PostingIterator& it = postings_[node];
        const Xapian::PostingIterator stop;
        if (it == stop) return;
        if (*it < first) it.skip_to(first);  // blocks it was not read in
        for (; it != stop; ++it) {
            const Xapian::docid d = *it;
            if (d >= end) break;
            if (input_.within->Contains(d)) f(d - first, it.get_wdf(), d);
        }
    }

    // Fills the node's BlockValues for the block; whether it matches anything in it.
    bool Evaluate(uint32_t index, uint32_t first, uint32_t end) {
        const Node& node = scorer_.nodes_[index];
        switch (node.op) {
            case Op::kNothing:
                return false;
            case Op::kTerm: {
                BlockValues& out = Reset(index);
                Postings(index, first, end, [&](uint32_t i, double wdf, Xapian::docid d) {
                    out.values[i] = SumPart(node.termweight, wdf, Length(d));
                    out.ListIf(i, true);
                });
                return out.matched > 0;
            }
            case Op::kSynonym:
                return EvaluateSynonym(index, first, end);
            case Op::kOr:
                return EvaluateAny<Op::kOr>(index, first, end);
            case Op::kMax:
                return EvaluateAny<Op::kMax>(index, first, end);
            case Op::kAnd:
                return EvaluateAnd(index, first, end);
        }
        return false;
    }

    // OR sums its children's weights where they match, MAX keeps the largest. Without
    // branches: weights are >= 0, so kNoMatch (-1) counts as 0 in a sum and never wins
    // a maximum, which gives the first weight at an offset exactly.
    template <Op kOp>
    static void Combine(BlockValues& out, uint32_t i, double w) {
        double& to = out.values[i];
        out.ListIf(i, to < 0);
        if constexpr (kOp == Op::kOr) {
            to = std::max(to, 0.0) + w;
        } else {
            to = std::max(to, w);
        }
    }

    // Terms are combined straight from their postings, without values of their own.
    template <Op kOp>
    bool EvaluateAny(uint32_t index, uint32_t first, uint32_t end) {
        BlockValues& out = Reset(index);
        for (uint32_t child : scorer_.nodes_[index].children) {
            const Node& node = scorer_.nodes_[child];
            if (node.op == Op::kTerm) {
                Postings(child, first, end, [&](uint32_t i, double wdf, Xapian::docid d) {
                    Combine<kOp>(out, i, SumPart(node.termweight, wdf, Length(d)));
                });
            } else if (Evaluate(child, first, end)) {
                const BlockValues& v = blocks_[child];
                for (uint32_t i : v.Matched()) Combine<kOp>(out, i, v.values[i]);
            }
        }
        return out.matched > 0;
    }

    // The sum where every child matches; the children after one that matches nothing
    // in the block are not evaluated in it.
    bool EvaluateAnd(uint32_t index, uint32_t first, uint32_t end) {
        const Node& node = scorer_.nodes_[index];
        BlockValues& out = Reset(index);
        for (size_t c = 0; c < node.children.size(); ++c) {
            if (!Evaluate(node.children[c], first, end)) return false;
            const BlockValues& v = blocks_[node.children[c]];
            if (c == 0) {
                for (uint32_t i : v.Matched()) {
                    out.values[i] = v.values[i];
                    out.ListIf(i, true);
                }
                continue;
            }
            uint32_t kept = 0;
            for (uint32_t i : out.Matched()) {
                if (v.values[i] >= 0) {
                    out.values[i] += v.values[i];
                    out.offsets[kept++] = i;
                } else {
                    out.values[i] = kNoMatch;
                }
            }
            out.matched = kept;
            if (kept == 0) return false;
        }
        return out.matched > 0;
    }

    // One weight of the summed wdfs, clamped to the document's length (as Xapian does).
    bool EvaluateSynonym(uint32_t index, uint32_t first, uint32_t end) {
        const Node& node = scorer_.nodes_[index];
        BlockValues& out = Reset(index);
        for (uint32_t child : node.children) {
            Postings(child, first, end, [&](uint32_t i, double wdf, Xapian::docid) {
                out.ListIf(i, out.values[i] < 0);
                out.values[i] = 0;  // matched, weighed below
                wdfs_[i] += wdf;
            });
        }
        for (uint32_t i : out.Matched()) {
            const double length = Length(first + i);
            out.values[i] = SumPart(node.termweight, std::min(wdfs_[i], length), length);
            wdfs_[i] = 0;  // for the next synonym or block
        }
        return out.matched > 0;
    }

    const TextScorer& scorer_;
    const Input& input_;
    std::vector<Xapian::PostingIterator> postings_;  // by node; terms only
    std::vector<BlockValues> blocks_;                // by node
    std::vector<double> wdfs_;                       // a synonym's summed wdfs, by offset
};

void TextScorer::ForEachWeight(const Input& input,
                               const std::function<void(uint32_t, double)>& f) const {
    Pass pass(*this, input);
    for (size_t first = 0; first < input.within->size(); first += kBlock)
        pass.Block(static_cast<uint32_t>(first), true, f);
}

namespace {

// The candidates of one group: the `want` best sums offered so far (least on top) and
// every member offered that may still be among the best. The threshold only rises, so a
// member below it now never comes back.
class Picker {
  public:
    explicit Picker(size_t want) : want_(want) {}

    void Offer(uint32_t docid, double weight) {
        if (want_ == 0) return;
        if (best_.size() < want_) {
            best_.push(weight);
        } else if (weight > best_.top()) {
            best_.pop();
            best_.push(weight);
        }
        if (weight >= Threshold()) kept_.emplace_back(docid, weight);
    }
    // Forgets the members that fell below the threshold, once there are many.
    void Trim() {
        if (kept_.size() <= 4 * want_ + kBlock) return;
        const double t = Threshold();
        std::erase_if(kept_, [t](const auto& k) { return k.second < t; });
    }
    void AddTo(DocSet& out) const {
        const double t = Threshold();
        for (const auto& [docid, weight] : kept_) {
            if (weight >= t) out.Add(docid);
        }
    }

  private:
    double Threshold() const {
        return want_ == 0 || best_.size() < want_ ? 0.0 : best_.top() * (1 - kMargin);
    }

    size_t want_;
    std::priority_queue<double, std::vector<double>, std::greater<>> best_;
    std::vector<std::pair<uint32_t, double>> kept_;
};

}  // namespace

DocSet TextScorer::Candidates(const Input& input, size_t want) const {
    return std::move(Candidates(input, {{input.within, want}}).front());
}

std::vector<DocSet> TextScorer::Candidates(const Input& input, const std::vector<Group>& groups,
                                           DocSet* matches) const {
    std::vector<Picker> pickers;
    for (const Group& g : groups) pickers.emplace_back(g.want);
    const bool any_wanted =
        std::any_of(groups.begin(), groups.end(), [](const Group& g) { return g.want > 0; });
    if (any_wanted || matches) {
        Pass pass(*this, input);
        for (size_t first = 0; first < input.within->size(); first += kBlock) {
            pass.Block(static_cast<uint32_t>(first), false, [&](uint32_t d, double w) {
                if (matches) matches->Add(d);
                for (size_t g = 0; g < groups.size(); ++g) {
                    if (groups[g].members->Contains(d)) {
                        pickers[g].Offer(d, w);
                        break;
                    }
                }
            });
            for (Picker& picker : pickers) picker.Trim();
        }
    }
    std::vector<DocSet> out;
    for (const Picker& picker : pickers) picker.AddTo(out.emplace_back(input.within->size()));
    return out;
}

}  // namespace tnohaku
