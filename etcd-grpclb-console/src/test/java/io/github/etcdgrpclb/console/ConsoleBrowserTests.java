package io.github.etcdgrpclb.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;


/**
 * The console in a real browser (Debian's headless chromium, driven through chromium-driver): a server
 * shows on the page within 2 s of its registration in etcd and goes within 2 s of its deregistration,
 * with no reload. A failed test leaves a screenshot in {@code target/screenshots}.
 */
class ConsoleBrowserTests {

	private static final String CHROMIUM = "/usr/bin/chromium";

	private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	private static ChromeDriver browser;

	@RegisterExtension
	final TestWatcher screenshots = new TestWatcher() {

		@Override
		public void testFailed(ExtensionContext context, Throwable cause) {
			screenshot(context.getRequiredTestMethod().getName());
		}

	};

	private RunningConsole console;

	@BeforeAll
	static void startBrowser() {
		if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
			throw new IllegalStateException("The browser tests need Debian's chromium and chromium-driver: "
					+ "apt-get install -y chromium chromium-driver (.ci/run installs them)");
		}
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
			.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
					"--window-size=1280,900");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
			.usingAnyFreePort()
			.build();
		browser = new ChromeDriver(service, options);
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
	}

	@BeforeEach
	void startConsole() {
		this.console = new RunningConsole(etcd.endpoints());
	}

	@AfterEach
	void stopConsole() {
		this.console.close();
		raw.delete("/grpclb/billing/127.0.0.1:9201");
	}

	@Test
	void serverShouldShowWithinTwoSecondsOfItsRegistrationAndGoWithinTwoOfItsDeregistration() {
		browser.get(this.console.base() + "/");
		new WebDriverWait(browser, Duration.ofSeconds(10))
			.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-live", "true"));
		By row = By.cssSelector("#services tr.instance[data-address='127.0.0.1:9201'] td.weight");

		long registered = System.nanoTime();
		raw.put("/grpclb/billing/127.0.0.1:9201", "4");
		new WebDriverWait(browser, Duration.ofSeconds(2)).until(ExpectedConditions.textToBe(row, "4"));
		long shown = System.nanoTime() - registered;

		long deregistered = System.nanoTime();
		raw.delete("/grpclb/billing/127.0.0.1:9201");
		new WebDriverWait(browser, Duration.ofSeconds(2)).until(ExpectedConditions.numberOfElementsToBe(row, 0));
		long gone = System.nanoTime() - deregistered;
		System.out.printf("browser: a server shown %d ms after its registration, gone %d ms after its deregistration%n",
				shown / 1_000_000, gone / 1_000_000);
		assertThat(browser.findElement(By.tagName("body")).getAttribute("data-live")).isEqualTo("true");
	}

	private static void screenshot(String name) {
		if (browser == null) {
			return;
		}
		try {
			Path folder = Files.createDirectories(Path.of("target", "screenshots"));
			Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), folder.resolve(name + ".png"),
					StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException | RuntimeException ex) {
			System.err.println("No screenshot of " + name + ": " + ex);
		}
	}

}
