/**
 * WhatsApp connectivity: sessions (one linked number each) and their lifecycle, the transport SPI
 * with its adapters (the embedded simulator; WAHA over HTTP), and the fan-out of transport events.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"core", "admin"})
package io.flowmate.gateway;
