package dev.promoter.promote.dora;

import java.time.Duration;

/**
 * One application's DORA figures for a stage over a window (see {@link DoraCalculator} for each definition).
 *
 * @param stage                the stage the figures are about
 * @param window               how far back from now they look
 * @param deployments          moves into the stage in the window, rollbacks not counted
 * @param deploymentsPerDay    deployment frequency: deployments ÷ days of the window
 * @param leadTime             median lead time for changes; null when no move in the window knew its commit time
 * @param leadTimeSamples      how many moves the lead time is the median of
 * @param failedDeployments    moves in the window found unhealthy in the stage before its next move
 * @param changeFailureRate    failedDeployments ÷ deployments, 0 to 1; null without deployments
 * @param timeToRestore        median time from an unhealthy verdict to the stage healthy again; null without one
 * @param restores             how many episodes the time to restore is the median of
 * @param unrestored           episodes that began in the window and have not ended (0 or 1)
 */
public record DoraFigures(String stage, Duration window, int deployments, double deploymentsPerDay,
                          Duration leadTime, int leadTimeSamples, int failedDeployments, Double changeFailureRate,
                          Duration timeToRestore, int restores, int unrestored) {
}
