package dev.apppasswords.service;

/** An app password as its owner sees it in a list: never the secret. Times in epoch milliseconds. */
public record AppPasswordView(String id, String name, Long createdAt,
                              Long lastUsedAt, String lastUsedIp, String lastUsedClientId) {
}
