/**
 * The {@code report} command's single self-contained HTML file: summary tables, a flame graph
 * and a per-thread timeline, as inline SVG generated here (no script, no network access). Every
 * string that comes from a trace goes through {@link io.relaytrace.viewer.report.Html#escape}.
 */
package io.relaytrace.viewer.report;
