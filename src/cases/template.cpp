#include "src/cases/template.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <system_error>
#include <utility>

#include "src/cases/diagnostic.h"
#include "src/core/text.h"
#include "src/http/entity_tag.h"
#include "src/http/fields.h"
#include "src/http/http_date.h"

namespace condspec {
namespace {

// ---------------------------------------------------------------------------
// Static types: enough to reject imf(first.etag)-style mistakes at load time
// while still letting a field value (text) be read as a date, e.g.
// imf(first.field.Expires), which can only be judged when rendering.

enum class Type { text, date, duration };

struct Function {
  std::string_view name;
  std::vector<Type> parameters;
  Type result;
};

const std::vector<Function>& functions() {
  static const std::vector<Function> table = {
      {"weak", {Type::text}, Type::text},
      {"strong", {Type::text}, Type::text},
      {"opaque", {Type::text}, Type::text},
      {"imf", {Type::date}, Type::text},
      {"rfc850", {Type::date}, Type::text},
      {"asctime", {Type::date}, Type::text},
      {"shift", {Type::date, Type::duration}, Type::date},
      {"lower", {Type::text}, Type::text},
      {"upper", {Type::text}, Type::text},
      {"swapcase", {Type::text}, Type::text},
  };
  return table;
}

const Function* find_function(std::string_view name) {
  for (const auto& f : functions())
    if (f.name == name) return &f;
  return nullptr;
}

std::string known_function_names() {
  std::string out;
  for (const auto& f : functions()) {
    if (!out.empty()) out += ", ";
    out += f.name;
  }
  return out;
}

constexpr std::string_view kKnownValues =
    "status, etag, last_modified, date, content_length, field.NAME";

std::string joined_path(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& p : path) {
    if (!out.empty()) out += '.';
    out += p;
  }
  return out;
}

Type type_of(const Expression& e) {
  switch (e.kind) {
    case Expression::Kind::string:
      return Type::text;
    case Expression::Kind::duration:
      return Type::duration;
    case Expression::Kind::reference:
      if (e.path.size() == 1 && e.path[0] == "now") return Type::date;
      if (e.path.size() == 2 && (e.path[1] == "last_modified" || e.path[1] == "date"))
        return Type::date;
      return Type::text;
    case Expression::Kind::call:
      if (const Function* f = find_function(e.name)) return f->result;
      return Type::text;
  }
  return Type::text;
}

std::string plural(size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

// Function names, arities and argument types: everything that does not
// depend on which steps exist. Returns the first problem, located.
std::optional<Diagnostic> check_calls(const Expression& e, bool top_level) {
  if (e.kind == Expression::Kind::duration && top_level)
    return Diagnostic{e.where,
                      "a duration ('" + e.text + "') can only be the second argument of shift()"};
  if (e.kind != Expression::Kind::call) return std::nullopt;
  const Function* f = find_function(e.name);
  if (!f)
    return Diagnostic{e.where,
                      "unknown function '" + e.name + "' (known: " + known_function_names() + ")"};
  if (e.arguments.size() != f->parameters.size())
    return Diagnostic{e.where, e.name + "() takes " + plural(f->parameters.size(), "argument") +
                                   ", got " + std::to_string(e.arguments.size())};
  for (size_t i = 0; i < e.arguments.size(); ++i) {
    const Expression& argument = e.arguments[i];
    const Type wanted = f->parameters[i];
    const Type given = type_of(argument);
    if (wanted == Type::duration && given != Type::duration)
      return Diagnostic{argument.where,
                        e.name + "() needs a duration such as -1d as its second argument"};
    if (wanted != Type::duration && given == Type::duration)
      return Diagnostic{argument.where, e.name + "() needs " +
                                            (wanted == Type::date ? "a date" : "text") +
                                            ", got the duration '" + argument.text + "'"};
    // A value that can never be a date (a tag, a status, a length) where a
    // date is needed is a mistake in the case file, not a limitation of the
    // target: say so at load time. Field values and literals may hold dates.
    const bool loosely_typed = argument.kind == Expression::Kind::string ||
                               (argument.kind == Expression::Kind::reference &&
                                argument.path.size() == 3 && argument.path[1] == "field");
    if (wanted == Type::date && given == Type::text && !loosely_typed)
      return Diagnostic{argument.where,
                        e.name + "() needs a date, got '" +
                            (argument.kind == Expression::Kind::call ? argument.name + "(...)"
                                                                     : joined_path(argument.path)) +
                            "'"};
    if (auto error = check_calls(argument, false)) return error;
  }
  return std::nullopt;
}

std::optional<Diagnostic> check_references(const Expression& e,
                                           const std::vector<std::string>& earlier_steps) {
  if (e.kind == Expression::Kind::call) {
    for (const auto& argument : e.arguments)
      if (auto error = check_references(argument, earlier_steps)) return error;
    return std::nullopt;
  }
  if (e.kind != Expression::Kind::reference) return std::nullopt;
  const std::string whole = joined_path(e.path);
  const std::string& step = e.path[0];
  if (step == "now") {
    if (e.path.size() == 1) return std::nullopt;
    return Diagnostic{e.where, "unknown reference '" + whole +
                                   "' ('now' is the tester's clock and has no fields)"};
  }
  if (std::find(earlier_steps.begin(), earlier_steps.end(), step) == earlier_steps.end()) {
    std::string known;
    for (const auto& s : earlier_steps) known += (known.empty() ? "" : ", ") + s;
    return Diagnostic{e.where, "unknown step '" + step + "' (" +
                                   (known.empty() ? std::string("there are no earlier steps")
                                                  : "earlier steps: " + known) +
                                   ")"};
  }
  if (e.path.size() == 1)
    return Diagnostic{e.where, "reference '" + whole + "' names a step but no value (known: " +
                                   std::string(kKnownValues) + ")"};
  const std::string& value = e.path[1];
  if (value == "field") {
    if (e.path.size() == 2)
      return Diagnostic{e.where, "reference '" + whole + "' needs a field name, e.g. " + step +
                                     ".field.Cache-Control"};
    if (e.path.size() == 3) return std::nullopt;
  } else if (e.path.size() == 2 &&
             (value == "status" || value == "etag" || value == "last_modified" || value == "date" ||
              value == "content_length")) {
    return std::nullopt;
  }
  return Diagnostic{e.where,
                    "unknown reference '" + whole + "' (known: " + std::string(kKnownValues) + ")"};
}

// ---------------------------------------------------------------------------
// Parsing. A failure is thrown inside the parser only and caught in
// parse_template, so the recursive descent stays readable.

struct ParseFailure {
  size_t offset;
  std::string message;
};

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || c == '-';
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

class Parser {
 public:
  Parser(std::string_view text, const SourceLocation& where) : text_(text), where_(where) {}

  Template parse() {
    Template t;
    t.source = std::string(text_);
    t.where = where_;
    std::string literal;
    while (pos_ < text_.size()) {
      if (text_.compare(pos_, 2, "{{") != 0) {
        literal += text_[pos_++];
        continue;
      }
      const size_t open = pos_;
      if (text_.find("}}", open + 2) == std::string_view::npos)
        throw ParseFailure{open, "unterminated '{{' in template"};
      pos_ += 2;
      skip_space();
      if (text_.compare(pos_, 2, "}}") == 0) throw ParseFailure{open, "empty '{{ }}' in template"};
      Expression e = expression();
      skip_space();
      if (text_.compare(pos_, 2, "}}") != 0)
        throw ParseFailure{pos_, "expected '}}' after the expression, got " + next_token()};
      pos_ += 2;
      if (!literal.empty()) t.pieces.push_back({std::move(literal), std::nullopt});
      literal.clear();
      t.pieces.push_back({"", std::move(e)});
    }
    if (!literal.empty()) t.pieces.push_back({std::move(literal), std::nullopt});
    return t;
  }

  SourceLocation location(size_t offset) const {
    // Columns restart after a line break; for YAML block scalars (whose
    // indentation is not part of the text) they are therefore approximate.
    SourceLocation at = where_;
    for (size_t i = 0; i < offset && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++at.line;
        at.column = 1;
      } else {
        ++at.column;
      }
    }
    return at;
  }

 private:
  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }

  std::string next_token() const {
    if (pos_ >= text_.size()) return "the end of the template";
    if (text_.compare(pos_, 2, "}}") == 0) return "'}}'";
    return "'" + std::string(1, text_[pos_]) + "'";
  }

  std::string name() {
    const size_t start = pos_;
    while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  Expression expression() {
    skip_space();
    Expression e;
    e.where = location(pos_);
    const size_t start = pos_;
    if (pos_ >= text_.size() || text_.compare(pos_, 2, "}}") == 0)
      throw ParseFailure{pos_, "expected an expression, got " + next_token()};
    const char c = text_[pos_];
    if (c == '\'') {
      const size_t close = text_.find('\'', pos_ + 1);
      if (close == std::string_view::npos)
        throw ParseFailure{start, "unterminated string literal (missing the closing ')"};
      e.kind = Expression::Kind::string;
      e.text = std::string(text_.substr(pos_ + 1, close - pos_ - 1));
      pos_ = close + 1;
      return e;
    }
    if (c == '+' || c == '-') return duration(std::move(e));
    if (!is_name_start(c))
      throw ParseFailure{pos_,
                         "expected a reference, a function call, a 'string' or a duration, "
                         "got " +
                             next_token()};
    std::string first = name();
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '(') {
      e.kind = Expression::Kind::call;
      e.name = std::move(first);
      ++pos_;
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ')') {
        ++pos_;
        return e;
      }
      while (true) {
        e.arguments.push_back(expression());
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < text_.size() && text_[pos_] == ')') {
          ++pos_;
          return e;
        }
        throw ParseFailure{
            pos_, "expected ')' or ',' in the call of " + e.name + "(), got " + next_token()};
      }
    }
    e.kind = Expression::Kind::reference;
    e.path.push_back(std::move(first));
    while (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (pos_ >= text_.size() || !is_name_start(text_[pos_]))
        throw ParseFailure{pos_, "expected a name after '.', got " + next_token()};
      e.path.push_back(name());
    }
    return e;
  }

  Expression duration(Expression e) {
    const size_t start = pos_;
    const bool negative = text_[pos_] == '-';
    ++pos_;
    const size_t digits = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    if (pos_ == digits)
      throw ParseFailure{pos_, "expected digits after '" + std::string(1, text_[start]) +
                                   "' in a duration such as -1d, got " + next_token()};
    std::int64_t amount = 0;
    auto [end, ec] = std::from_chars(text_.data() + digits, text_.data() + pos_, amount);
    (void)end;
    std::int64_t unit = 0;
    const char u = pos_ < text_.size() ? text_[pos_] : '\0';
    switch (u) {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'd':
        unit = 86400;
        break;
      default:
        throw ParseFailure{pos_, "duration '" + std::string(text_.substr(start, pos_ - start)) +
                                     "' needs a unit: s, m, h or d"};
    }
    ++pos_;
    e.kind = Expression::Kind::duration;
    e.text = std::string(text_.substr(start, pos_ - start));
    // 100 years is far more than any test needs and keeps arithmetic safe.
    constexpr std::int64_t kLimit = 100LL * 366 * 86400;
    if (ec != std::errc() || amount > kLimit / unit)
      throw ParseFailure{start, "duration '" + e.text + "' is too large (at most 100 years)"};
    e.seconds = (negative ? -1 : 1) * amount * unit;
    return e;
  }

  std::string_view text_;
  SourceLocation where_;
  size_t pos_ = 0;
};

// ---------------------------------------------------------------------------
// Rendering.

struct RenderFailure {
  std::string reason;
};

struct Value {
  Type type = Type::text;
  std::string text;
  Seconds date{};
  std::int64_t seconds = 0;
};

Value text_value(std::string s) {
  return Value{Type::text, std::move(s), {}, 0};
}
Value date_value(Seconds d) {
  return Value{Type::date, {}, d, 0};
}

std::string as_text(const Value& v) {
  return v.type == Type::date ? format_imf_fixdate(v.date) : v.text;
}

class Renderer {
 public:
  explicit Renderer(const RenderContext& context) : context_(context) {}

  Value evaluate(const Expression& e) const {
    switch (e.kind) {
      case Expression::Kind::string:
        return text_value(e.text);
      case Expression::Kind::duration:
        return Value{Type::duration, e.text, {}, e.seconds};
      case Expression::Kind::reference:
        return reference(e);
      case Expression::Kind::call:
        return call(e);
    }
    return {};
  }

 private:
  const Response& response(const std::string& step) const {
    auto it = context_.steps.find(step);
    if (it == context_.steps.end() || it->second == nullptr)
      throw RenderFailure{"step '" + step + "' has no response"};
    return *it->second;
  }

  Value date_field(const std::string& step, std::string_view name) const {
    const std::string* raw = response(step).fields.find(name);
    if (!raw) throw RenderFailure{"step '" + step + "' sent no " + std::string(name)};
    auto parsed = parse_http_date(*raw, context_.now);
    if (!parsed)
      throw RenderFailure{"step '" + step + "' sent an invalid " + std::string(name) + " '" +
                          printable(*raw) + "'"};
    return date_value(*parsed);
  }

  Value reference(const Expression& e) const {
    if (e.path.size() == 1 && e.path[0] == "now") return date_value(context_.now);
    if (e.path.size() < 2)
      throw RenderFailure{"reference '" + joined_path(e.path) + "' names no value"};
    const std::string& step = e.path[0];
    const std::string& value = e.path[1];
    const Response& r = response(step);
    if (value == "status") return text_value(std::to_string(r.status));
    if (value == "content_length") return text_value(std::to_string(r.content.size()));
    if (value == "last_modified") return date_field(step, "Last-Modified");
    if (value == "date") return date_field(step, "Date");
    if (value == "etag") {
      const std::string* etag = r.fields.find("ETag");
      if (!etag) throw RenderFailure{"step '" + step + "' sent no ETag"};
      return text_value(*etag);
    }
    if (value == "field" && e.path.size() == 3) {
      auto combined = r.fields.combined(e.path[2]);
      if (!combined) throw RenderFailure{"step '" + step + "' sent no " + e.path[2]};
      return text_value(*combined);
    }
    throw RenderFailure{"unknown reference '" + joined_path(e.path) + "'"};
  }

  Seconds as_date(const Value& v, const std::string& function) const {
    if (v.type == Type::date) return v.date;
    auto parsed = parse_http_date(v.text, context_.now);
    if (!parsed)
      throw RenderFailure{function + "() needs an HTTP-date, got '" + printable(v.text) + "'"};
    return *parsed;
  }

  Value call(const Expression& e) const {
    const Function* f = find_function(e.name);
    if (!f || f->parameters.size() != e.arguments.size())
      throw RenderFailure{"invalid call of " + e.name + "()"};
    std::vector<Value> arguments;
    for (const auto& a : e.arguments) arguments.push_back(evaluate(a));
    const std::string& name = e.name;
    if (name == "weak" || name == "strong" || name == "opaque") {
      const std::string text = as_text(arguments[0]);
      auto tag = parse_entity_tag(text);
      if (!tag)
        throw RenderFailure{name + "() needs an entity-tag such as \"x\" or W/\"x\", got '" +
                            printable(text) + "'"};
      if (name == "weak") return text_value("W/\"" + tag->opaque + "\"");
      if (name == "strong") return text_value("\"" + tag->opaque + "\"");
      return text_value(tag->opaque);
    }
    if (name == "imf") return text_value(format_imf_fixdate(as_date(arguments[0], name)));
    if (name == "rfc850") return text_value(format_rfc850(as_date(arguments[0], name)));
    if (name == "asctime") return text_value(format_asctime(as_date(arguments[0], name)));
    if (name == "shift")
      return date_value(as_date(arguments[0], name) + std::chrono::seconds(arguments[1].seconds));
    std::string text = as_text(arguments[0]);
    for (char& c : text) {
      const bool is_lower = c >= 'a' && c <= 'z';
      const bool is_upper = c >= 'A' && c <= 'Z';
      if ((name == "upper" || name == "swapcase") && is_lower) c = static_cast<char>(c - 32);
      if ((name == "lower" || name == "swapcase") && is_upper) c = static_cast<char>(c + 32);
    }
    return text_value(std::move(text));
  }

  const RenderContext& context_;
};

}  // namespace

Result<Template, Diagnostic> parse_template(std::string_view text, const SourceLocation& where) {
  Parser parser(text, where);
  try {
    Template t = parser.parse();
    for (const auto& piece : t.pieces)
      if (piece.expression)
        if (auto error = check_calls(*piece.expression, true)) return *error;
    return t;
  } catch (const ParseFailure& failure) {
    return Diagnostic{parser.location(failure.offset), failure.message};
  }
}

Result<Ok, Diagnostic> check_template(const Template& t,
                                      const std::vector<std::string>& earlier_steps) {
  for (const auto& piece : t.pieces) {
    if (!piece.expression) continue;
    if (auto error = check_calls(*piece.expression, true)) return *error;
    if (auto error = check_references(*piece.expression, earlier_steps)) return *error;
  }
  return Ok{};
}

Result<std::string> render(const Template& t, const RenderContext& context) {
  Renderer renderer(context);
  std::string out;
  try {
    for (const auto& piece : t.pieces) {
      if (!piece.expression) {
        out += piece.literal;
        continue;
      }
      const Value v = renderer.evaluate(*piece.expression);
      if (v.type == Type::duration)
        return Error{"a duration ('" + v.text + "') cannot be rendered on its own"};
      out += as_text(v);
    }
  } catch (const RenderFailure& failure) {
    return Error{failure.reason};
  }
  return out;
}

}  // namespace condspec
