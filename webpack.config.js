/** Builds the tab (src/tab) into dist/tab, served by the app at /tab. */
const path = require('node:path');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const TerserPlugin = require('terser-webpack-plugin');
const zlib = require('node:zlib');

/**
 * Writes a .br and a .gz next to every script, style and page, so the server
 * sends them pre-compressed (best compression, paid once at build, not per request).
 */
class PrecompressPlugin {
  apply(compiler) {
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap('PrecompressPlugin', (compilation) => {
      compilation.hooks.processAssets.tap({ name: 'PrecompressPlugin', stage: Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_TRANSFER }, (assets) => {
        for (const [name, asset] of Object.entries(assets)) {
          if (!/\.(js|css|html|svg|json)$/.test(name)) continue;
          const buf = Buffer.from(asset.source());
          if (buf.length < 1024) continue;
          compilation.emitAsset(`${name}.br`, new sources.RawSource(zlib.brotliCompressSync(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length } })));
          compilation.emitAsset(`${name}.gz`, new sources.RawSource(zlib.gzipSync(buf, { level: 9 })));
        }
      });
    });
  }
}

module.exports = (_env, argv) => {
  const production = argv.mode !== 'development';
  return {
    mode: production ? 'production' : 'development',
    entry: './src/tab/main.tsx',
    output: { path: path.resolve(__dirname, 'dist/tab'), filename: '[name].[contenthash].js', chunkFilename: '[name].[contenthash].js', publicPath: '/tab/', clean: true },
    resolve: { extensions: ['.tsx', '.ts', '.js'], extensionAlias: { '.js': ['.tsx', '.ts', '.js'] } },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: { jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2020', transform: { react: { runtime: 'automatic' } } } },
          },
        },
      ],
    },
    plugins: [new HtmlWebpackPlugin({ template: './src/tab/index.html' }), ...(production ? [new PrecompressPlugin()] : [])],
    devtool: production ? false : 'eval-cheap-module-source-map',
    cache: { type: 'filesystem', cacheDirectory: path.resolve(__dirname, 'node_modules/.cache/webpack') },
    optimization: { minimizer: [new TerserPlugin({ minify: TerserPlugin.swcMinify })] },
    performance: { hints: false },
    stats: 'errors-warnings',
  };
};
