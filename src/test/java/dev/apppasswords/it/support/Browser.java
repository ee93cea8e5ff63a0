package dev.apppasswords.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver: both are named explicitly so that
 * Selenium Manager never tries to download a browser or driver (this machine cannot). Each instance has
 * a fresh profile directory, so no cookies or sessions leak between scenarios. Profiles, Chromium's
 * {@code $HOME} and screenshots are under {@code target/} ({@code browser/}, {@code screenshots/}).
 */
public final class Browser implements AutoCloseable {

    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private final ChromeDriver driver;
    private final Path profile;
    private final Path screenshots;
    private static final AtomicInteger FAILURES = new AtomicInteger();

    private final WebDriverWait wait;

    public Browser() {
        Path target = Path.of(System.getProperty("project.build.directory", "target")).toAbsolutePath();
        Path home;
        Path tmp;
        try {
            // Chromium writes to $HOME (~/.config/chromium/Crash Reports, ~/.cache/dconf) whatever its profile
            // directory, and its temporary files to $TMPDIR: all of it lives under target/.
            home = Files.createDirectories(target.resolve("browser/home"));
            tmp = Files.createDirectories(target.resolve("browser/tmp"));
            profile = Files.createTempDirectory(Files.createDirectories(target.resolve("browser")), "profile-");
            screenshots = target.resolve("screenshots");
            Files.createDirectories(screenshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--lang=en-US", "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                .withEnvironment(java.util.Map.of("HOME", home.toString(), "TMPDIR", tmp.toString())).build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 1000));
        wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    /** Fails, naming the packages and {@code .ci/run}, unless Debian's chromium and chromium-driver are installed. */
    public static void requireInstalled() {
        DebianPackages.require(CHROMIUM, "chromium");
        DebianPackages.require(CHROMEDRIVER, "chromium-driver");
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /** Waits until an element matching {@code by} is visible and returns it. */
    public WebElement visible(By by) {
        return await(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /**
     * Waits for a condition; on a timeout the error names the page the browser is on and its visible text,
     * and a screenshot {@code failure-N.png} is saved, so a failure on CI can be read from its log alone.
     */
    public <T> T await(Function<WebDriver, T> condition) {
        try {
            return wait.until(condition);
        } catch (TimeoutException e) {
            String where;
            try {
                Path shot = screenshot("failure-" + FAILURES.incrementAndGet());
                String text = driver.findElement(By.tagName("body")).getText();
                where = "browser at " + driver.getCurrentUrl() + " (screenshot " + shot + "), page text: "
                        + text.substring(0, Math.min(text.length(), 1500));
            } catch (RuntimeException inspection) {
                where = "browser state unreadable: " + inspection;
            }
            throw new TimeoutException(e.getMessage().lines().findFirst().orElse("timeout") + "\n" + where, e);
        }
    }

    public List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    public void type(By by, String text) {
        WebElement field = visible(by);
        field.clear();
        field.sendKeys(text);
    }

    public void click(By by) {
        await(ExpectedConditions.elementToBeClickable(by)).click();
    }

    /** Clicks, then waits until the browser has loaded another document (the old one is marked first). */
    public void clickAndAwaitNewPage(By by) {
        driver.executeScript("document.documentElement.setAttribute('data-old-page', 'yes')");
        click(by);
        await(d -> ((org.openqa.selenium.JavascriptExecutor) d)
                .executeScript("return document.documentElement.getAttribute('data-old-page')") == null);
    }

    public void waitForText(By by, String text) {
        await(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    public void waitForUrlStartingWith(String prefix) {
        await(d -> d.getCurrentUrl().startsWith(prefix));
    }

    public String pageSource() {
        return driver.getPageSource();
    }

    /** Saves a PNG of the current page as target/screenshots/{name}.png and returns its path. */
    public Path screenshot(String name) {
        Path file = screenshots.resolve(name + ".png");
        try {
            Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> walk = Files.walk(profile)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover profile in target/ is harmless
            }
        }
    }
}
