package io.flowmate.outreach.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowmate.core.InvalidValueException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemberCsvTests {

  private static List<MemberCsv.Row> rows(String csv) throws IOException {
    MemberCsv.RowReader reader = new MemberCsv.RowReader(new StringReader(csv));
    List<MemberCsv.Row> rows = new ArrayList<>();
    for (MemberCsv.Row row = reader.next(); row != null; row = reader.next()) {
      rows.add(row);
    }
    return rows;
  }

  private static MemberCsv.Header header(String line) throws IOException {
    return MemberCsv.Header.of(rows(line).getFirst());
  }

  @Test
  void readsQuotedValuesWithDelimitersQuotesAndLineBreaksAndKnowsWhereEachRowStarts()
      throws IOException {
    List<MemberCsv.Row> rows =
        rows(
            "phone,name,note\n"
                + "4915100000001,\"Müller, Anna\",\"said \"\"hi\"\"\"\n"
                + "4915100000002,Bob,\"two\nlines\"\n"
                + "4915100000003,Carla,plain\n");

    assertThat(rows).extracting(MemberCsv.Row::line).containsExactly(1, 2, 3, 5);
    assertThat(rows.get(1).values())
        .containsExactly("4915100000001", "Müller, Anna", "said \"hi\"");
    assertThat(rows.get(2).values()).containsExactly("4915100000002", "Bob", "two\nlines");
    assertThat(rows.get(3).values()).containsExactly("4915100000003", "Carla", "plain");
  }

  @Test
  void readsWhatExcelSavesWithSemicolonsAByteOrderMarkAndCrLf() throws IOException {
    List<MemberCsv.Row> rows =
        rows("\uFEFFPhone;Name;Stadt\r\n+49 151 0000004;Jörg;Köln, Innenstadt\r\n");

    assertThat(rows.get(0).values()).containsExactly("Phone", "Name", "Stadt");
    assertThat(rows.get(1).values()).containsExactly("+49 151 0000004", "Jörg", "Köln, Innenstadt");
    assertThat(rows.get(1).line()).isEqualTo(2);
  }

  @Test
  void skipsBlankLinesButCountsThem() throws IOException {
    List<MemberCsv.Row> rows = rows("phone\n\n4915100000005\n\r\n\n4915100000006");

    assertThat(rows).extracting(MemberCsv.Row::line).containsExactly(1, 3, 6);
  }

  @Test
  void anUnclosedQuoteIsABadRowAtTheLineItStarts() throws IOException {
    List<MemberCsv.Row> rows =
        rows("phone,name\n4915100000007,ok\n4915100000008,\"never closed\n4915100000009,lost\n");

    assertThat(rows).hasSize(3);
    assertThat(rows.get(2).line()).isEqualTo(3);
    assertThat(rows.get(2).problem()).contains("not closed");
  }

  @Test
  void anOverlongRowIsABadRowNotAMemoryProblem() throws IOException {
    String csv =
        "phone,name\n4915100000010,"
            + "x".repeat(MemberCsv.MAX_RECORD_CHARS + 1)
            + "\n4915100000011,ok\n";

    List<MemberCsv.Row> rows = rows(csv);

    assertThat(rows.get(1).problem()).contains("longer than");
    assertThat(rows.get(2).values()).containsExactly("4915100000011", "ok");
  }

  @Test
  void theHeaderMapsColumnsByNameInAnyOrderAndTheRestBecomeCustomFields() throws IOException {
    MemberCsv.Header header = header("City, NAME ,phone,first_name,unpaid");
    MemberCsv.Row row = rows("Porto,Ana Silva,+351 912 345 678,Ana,\n").getFirst();

    NewMember.Checked member = header.member(row);

    assertThat(member.problem()).isNull();
    assertThat(member.member().phone()).isEqualTo("351912345678");
    assertThat(member.member().name()).isEqualTo("Ana Silva");
    // The empty "unpaid" cell is no value at all: a filter on unpaid = yes must not match it.
    assertThat(member.member().fields()).isEqualTo(Map.of("City", "Porto", "first_name", "Ana"));
  }

  @Test
  void rowsMayLeaveOutTrailingColumnsOrAddEmptyOnesButNotAddValues() throws IOException {
    MemberCsv.Header header = header("phone,name,city");

    assertThat(header.member(rows("4915100000012\n").getFirst()).member().fields()).isEmpty();
    assertThat(header.member(rows("4915100000013,Eve,Lyon,,\n").getFirst()).member().fields())
        .isEqualTo(Map.of("city", "Lyon"));
    assertThat(header.member(rows("4915100000014,Eve,Lyon,extra\n").getFirst()).problem())
        .isEqualTo("the row has 4 values but the header has 3 columns");
  }

  @Test
  void aBadPhoneNumberIsTheRowsProblem() throws IOException {
    MemberCsv.Header header = header("phone,name");

    assertThat(header.member(rows("0151 2345678,Lokal\n").getFirst()).problem())
        .contains("national number");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          name,city                 | no 'phone' column
          phone,name,city,City      | names column 'City' twice (columns 3 and 4)
          phone,,city               | column 2 has no name
          phone,{first_name}        | contains '{' or '}'
          """)
  void aHeaderThatCannotBeUsedRejectsTheWholeFile(String line, String reason) {
    assertThatThrownBy(() -> header(line))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void anEmptyFileHasNoHeader() {
    assertThatThrownBy(() -> MemberCsv.Header.of(null))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void whatIsWrittenReadsBackUnchangedAndNoValueRunsAsASpreadsheetFormula() throws IOException {
    Map<String, String> tricky = new LinkedHashMap<>();
    tricky.put("note", "says \"hi\", twice;\nthen leaves");
    tricky.put("total", "=SUM(A1:A9)");
    tricky.put("balance", "-5");
    tricky.put("padded", "  spaced  ");
    StringWriter out = new StringWriter();
    MemberCsv.RowWriter writer =
        new MemberCsv.RowWriter(out, List.of("balance", "note", "padded", "total"));
    writer.member("4915100000015", "@anna", tricky);
    writer.member("4915100000016", null, Map.of());

    String csv = out.toString();
    assertThat(csv).startsWith("phone,name,balance,note,padded,total\r\n");
    assertThat(csv).contains(",'@anna,'-5,").contains(",'=SUM(A1:A9)\r\n");
    List<MemberCsv.Row> rows = rows(csv);
    MemberCsv.Header header = MemberCsv.Header.of(rows.getFirst());
    NewMember first = header.member(rows.get(1)).member();
    assertThat(first.name()).isEqualTo("@anna");
    assertThat(first.fields())
        .containsEntry("note", "says \"hi\", twice;\nthen leaves")
        .containsEntry("total", "=SUM(A1:A9)")
        .containsEntry("balance", "-5")
        .containsEntry("padded", "spaced");
    NewMember second = header.member(rows.get(2)).member();
    assertThat(second.phone()).isEqualTo("4915100000016");
    assertThat(second.name()).isNull();
    assertThat(second.fields()).isEmpty();
  }
}
