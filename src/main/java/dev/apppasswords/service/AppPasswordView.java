package dev.apppasswords.service;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An app password as its owner sees it in a list: never the secret. Times in epoch milliseconds; the
 * last-use fields are present and null until the app password is first used; {@code clients} is empty
 * when the app password may be used with any client.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AppPasswordView(String id, String name, Long createdAt, List<String> clients,
                              Long lastUsedAt, String lastUsedIp, String lastUsedClientId) {
}
