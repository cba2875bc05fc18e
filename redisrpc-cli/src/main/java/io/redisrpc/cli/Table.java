package io.redisrpc.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A text table: a header row and rows, columns padded to their widest cell, two spaces apart. */
final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();
  private final Set<Integer> right = new HashSet<>();

  Table(String... headers) {
    this.headers = List.of(headers);
  }

  /** Aligns the columns at {@code indexes} to the right, as numbers are. */
  Table alignRight(int... indexes) {
    for (int i : indexes) {
      right.add(i);
    }
    return this;
  }

  /** Adds a row; {@code null} cells print as {@code -}. */
  void add(Object... cells) {
    List<String> row = new ArrayList<>(headers.size());
    for (int i = 0; i < headers.size(); i++) {
      Object cell = i < cells.length ? cells[i] : null;
      row.add(cell == null ? "-" : String.valueOf(cell));
    }
    rows.add(row);
  }

  /** Whether no row was added. */
  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** The header and the rows, without trailing spaces. */
  List<String> lines() {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(line(headers, widths));
    for (List<String> row : rows) {
      lines.add(line(row, widths));
    }
    return lines;
  }

  private String line(List<String> cells, int[] widths) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append("  ");
      }
      String cell = cells.get(i);
      String pad = " ".repeat(widths[i] - cell.length());
      b.append(right.contains(i) ? pad + cell : cell + pad);
    }
    return b.toString().stripTrailing();
  }
}
