package io.dataline.models;

/** Precision, recall and F1 of one label, and how many held-out records carry it. */
public record ClassMetrics(double precision, double recall, double f1, long support) {
}
