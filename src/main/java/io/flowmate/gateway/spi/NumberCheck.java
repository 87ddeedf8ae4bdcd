package io.flowmate.gateway.spi;

import io.flowmate.core.ChatId;

/** Whether the number is on WhatsApp, and the chat id WhatsApp wants for it (may differ). */
public record NumberCheck(String phoneNumber, boolean exists, ChatId chatId) {}
