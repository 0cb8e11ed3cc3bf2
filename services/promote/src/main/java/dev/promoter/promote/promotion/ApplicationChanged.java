package dev.promoter.promote.promotion;

/**
 * Something an application's views show changed and is committed: a move, a rollback, a health verdict, a decision,
 * a stop of the line. {@code application} is {@link LineStop#ALL} when every application's view changed. Fired as a
 * CDI event after the transaction that made the change; the dashboard's live updates listen.
 */
public record ApplicationChanged(String application) {
}
