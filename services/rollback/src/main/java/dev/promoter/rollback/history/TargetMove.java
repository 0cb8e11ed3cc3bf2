package dev.promoter.rollback.history;

/**
 * The move a rollback of a stage would go back to, as the history reads it: the digest and the correlation id of the
 * move that last brought it there. (History's own record, so that history depends on no other package.)
 */
public record TargetMove(String digest, String chainId) {
}
