package io.dataline.events;

/** Classification metrics on the held-out split: accuracy and macro F1 (higher is better), log loss (lower is better). */
public record ModelMetrics(double accuracy, double macroF1, double logLoss) {
}
