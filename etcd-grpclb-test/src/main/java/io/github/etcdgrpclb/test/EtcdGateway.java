package io.github.etcdgrpclb.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

/**
 * Talks to one etcd member through its JSON gateway ({@code /health}, {@code /v3/...}), so the test
 * support needs no etcd client library. Only what the test support itself needs is here.
 */
final class EtcdGateway {

	private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

	private final URI base;

	private final HttpClient http;

	EtcdGateway(URI base, SSLContext sslContext) {
		this.base = base;
		HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
		if (sslContext != null) {
			builder.sslContext(sslContext);
		}
		this.http = builder.build();
	}

	/** @return whether the member answers {@code /health} with {@code "health":"true"} (it has a leader) */
	boolean isHealthy() {
		try {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(this.base.resolve("/health")).timeout(Duration.ofSeconds(2)).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			return response.statusCode() == 200 && response.body().replace(" ", "").contains("\"health\":\"true\"");
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** @return the raw JSON of {@code /v3/maintenance/status} */
	String status() {
		return post("/v3/maintenance/status", "{}", null);
	}

	String authenticate(String user, String password) {
		String body = post("/v3/auth/authenticate",
				"{\"name\":\"" + user + "\",\"password\":\"" + password + "\"}", null);
		Matcher matcher = TOKEN.matcher(body);
		if (!matcher.find()) {
			throw new IllegalStateException("etcd returned no token for " + user + ": " + body);
		}
		return matcher.group(1);
	}

	/**
	 * POSTs a JSON request and returns the JSON answer.
	 * @throws IllegalStateException when etcd answers with an error status
	 */
	String post(String path, String json, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.base.resolve(path))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		if (token != null) {
			request.header("Authorization", token);
		}
		return send(path, request);
	}

	/**
	 * GETs a plain page, such as {@code /metrics}.
	 * @throws IllegalStateException when etcd cannot be reached or answers with an error status
	 */
	String get(String path) {
		return send(path, HttpRequest.newBuilder(this.base.resolve(path)).timeout(Duration.ofSeconds(10)).GET());
	}

	private String send(String path, HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException(
						"etcd " + path + " answered " + response.statusCode() + ": " + response.body());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new IllegalStateException("etcd " + path + " failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while calling etcd " + path, ex);
		}
	}

	static String base64(String text) {
		return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

}
