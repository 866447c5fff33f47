package io.github.etcdgrpclb.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;

/**
 * A gRPC service without generated code: {@code test.Echo/Echo} answers {@code <name>:<request>}.
 * A request {@code "hold"} is answered only after {@link #release()}, to keep a call in flight.
 */
public class EchoService implements BindableService {

	public static final MethodDescriptor<String, String> ECHO = MethodDescriptor.<String, String>newBuilder()
		.setType(MethodDescriptor.MethodType.UNARY)
		.setFullMethodName("test.Echo/Echo")
		.setRequestMarshaller(StringMarshaller.INSTANCE)
		.setResponseMarshaller(StringMarshaller.INSTANCE)
		.build();

	private final String name;

	private final CountDownLatch held = new CountDownLatch(1);

	private final CountDownLatch release = new CountDownLatch(1);

	public EchoService(String name) {
		this.name = name;
	}

	/** Lets held calls answer. */
	public void release() {
		this.release.countDown();
	}

	/** Waits until a {@code "hold"} call has reached the server. */
	public boolean awaitHeld(long seconds) throws InterruptedException {
		return this.held.await(seconds, TimeUnit.SECONDS);
	}

	@Override
	public ServerServiceDefinition bindService() {
		return ServerServiceDefinition.builder("test.Echo")
			.addMethod(ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
				if ("hold".equals(request)) {
					this.held.countDown();
					try {
						this.release.await(30, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
				response.onNext(this.name + ":" + request);
				response.onCompleted();
			}))
			.build();
	}

	/** UTF-8 strings on the wire. */
	public enum StringMarshaller implements MethodDescriptor.Marshaller<String> {

		INSTANCE;

		@Override
		public InputStream stream(String value) {
			return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public String parse(InputStream stream) {
			try {
				return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
