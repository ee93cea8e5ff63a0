package dev.apppasswords.service;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An app password as its owner sees it in a list: never the secret. Times in epoch milliseconds; the
 * last-use fields are present and null until the app password is first used; {@code clients} is empty
 * when the app password may be used with any client; {@code expiresAt} is null when it never expires, and
 * {@code expired} says whether it has (an expired one no longer works and is removed after a grace period).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AppPasswordView(String id, String name, Long createdAt, List<String> clients,
                              Long lastUsedAt, String lastUsedIp, String lastUsedClientId, Long expiresAt, boolean expired) {
}
