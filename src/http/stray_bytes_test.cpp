#include "src/http/stray_bytes.h"

#include <gtest/gtest.h>

namespace condspec {
namespace {

constexpr size_t kCap = StrayBytes::kMaxKept;

TEST(RecordStray, KeepsTheFirst64KibAndCountsTheRest) {
  StrayBytes stray;
  record_stray(stray, std::string(kCap - 10, 'a'), StrayEnd::still_open);
  record_stray(stray, std::string(25, 'b'), StrayEnd::still_open);
  EXPECT_EQ(stray.bytes, std::string(kCap - 10, 'a') + std::string(10, 'b'));
  EXPECT_EQ(stray.dropped, 15u);
  record_stray(stray, "c", StrayEnd::still_open);
  EXPECT_EQ(stray.bytes.size(), kCap);
  EXPECT_EQ(stray.dropped, 16u);
}

TEST(RecordStray, OnlyAConclusiveEndMarksTheEvidenceChecked) {
  for (StrayEnd open : {StrayEnd::still_open, StrayEnd::gave_up}) {
    StrayBytes stray;
    record_stray(stray, "x", open);
    EXPECT_FALSE(stray.checked);
  }
  for (StrayEnd conclusive :
       {StrayEnd::status_line, StrayEnd::server_closed, StrayEnd::quiet_after_close}) {
    StrayBytes stray;
    record_stray(stray, {}, conclusive);
    EXPECT_TRUE(stray.checked);
    record_stray(stray, "late", StrayEnd::gave_up);  // once checked, it stays checked
    EXPECT_TRUE(stray.checked);
  }
}

TEST(AttachStray, FillsTheRecordOfThePreviousExchange) {
  Exchange record;
  attach_stray(record, StrayBytes{});
  EXPECT_EQ(record.stray_bytes, "");
  EXPECT_EQ(record.stray_bytes_dropped, 0u);
  EXPECT_FALSE(record.stray_checked);

  attach_stray(record, StrayBytes{"hello", 3, true});
  EXPECT_EQ(record.stray_bytes, "hello");
  EXPECT_EQ(record.stray_bytes_dropped, 3u);
  EXPECT_TRUE(record.stray_checked);

  // A second value adds to the first within the same cap, and an unchecked
  // one does not undo the check.
  attach_stray(record, StrayBytes{std::string(kCap, 'x'), 1, false});
  EXPECT_EQ(record.stray_bytes, "hello" + std::string(kCap - 5, 'x'));
  EXPECT_EQ(record.stray_bytes_dropped, 3u + 5 + 1);
  EXPECT_TRUE(record.stray_checked);
}

TEST(StatusLineScanner, OnANewConnectionEveryByteIsTheResponse) {
  StatusLineScanner scanner(/*reused=*/false);
  StrayBytes stray;
  EXPECT_TRUE(scanner.at_status_line());
  EXPECT_EQ(scanner.take("junk HTTP/1.1 200", stray), "junk HTTP/1.1 200");
  EXPECT_EQ(stray.bytes, "");
  EXPECT_FALSE(stray.checked);
}

TEST(StatusLineScanner, BytesBeforeTheStatusLineAreStrayAndFindingItIsConclusive) {
  StatusLineScanner scanner(/*reused=*/true);
  StrayBytes stray;
  EXPECT_FALSE(scanner.at_status_line());
  EXPECT_EQ(scanner.take("hello", stray), "");
  EXPECT_EQ(stray.bytes, "hello");
  EXPECT_FALSE(stray.checked);
  EXPECT_EQ(scanner.take("!HTTP/1.1 200 OK\r\n", stray), "HTTP/1.1 200 OK\r\n");
  EXPECT_EQ(stray.bytes, "hello!");
  EXPECT_TRUE(stray.checked);
  EXPECT_EQ(scanner.skipped(), 6u);
  EXPECT_TRUE(scanner.at_status_line());
  // From then on everything is the response's, whatever it looks like.
  EXPECT_EQ(scanner.take("more", stray), "more");
  EXPECT_EQ(stray.bytes, "hello!");
}

TEST(StatusLineScanner, AStatusLineCutAcrossReadsIsHeldBackUntilTheNextBytesDecide) {
  StatusLineScanner scanner(/*reused=*/true);
  StrayBytes stray;
  EXPECT_EQ(scanner.take("xyHT", stray), "");
  EXPECT_EQ(stray.bytes, "xy");  // "HT" may begin the status line
  EXPECT_EQ(scanner.take("TP/1.1", stray), "HTTP/1.1");
  EXPECT_EQ(stray.bytes, "xy");
  EXPECT_EQ(scanner.skipped(), 2u);

  StatusLineScanner other(/*reused=*/true);
  StrayBytes other_stray;
  EXPECT_EQ(other.take("HTT", other_stray), "");
  EXPECT_EQ(other.take("X", other_stray), "");  // "HTTX" is not a status line
  EXPECT_EQ(other_stray.bytes, "HTTX");
}

TEST(StatusLineScanner, TheHeldBackTailIsStrayWhenTheConnectionEnds) {
  StatusLineScanner scanner(/*reused=*/true);
  StrayBytes stray;
  EXPECT_EQ(scanner.take("junkHTTP", stray), "");
  EXPECT_EQ(stray.bytes, "junk");
  scanner.end(stray, StrayEnd::server_closed);
  EXPECT_EQ(stray.bytes, "junkHTTP");
  EXPECT_TRUE(stray.checked);

  StatusLineScanner reset(/*reused=*/true);
  StrayBytes lost;
  reset.take("HTTP/1", lost);
  reset.end(lost, StrayEnd::gave_up);  // after the status line: nothing more is stray
  EXPECT_EQ(lost.bytes, "");
}

}  // namespace
}  // namespace condspec
